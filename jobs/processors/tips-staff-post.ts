import type { OutboxEvent } from '../../core/tips/tip-outbox.ts';
import { staffCardHtml, staffKeyboard, type CardBanner } from '../../core/tips/staff-card.ts';
import { esc } from '../../core/tips/tip-text.ts';
import type { Processor } from '../types.ts';
import { claimLeased, idField, retryAfterMs, sanitizedError, tipsFor } from './tips-support.ts';
import { postTipSuggestion } from './tips-suggestion.ts';

const BANNERS: Record<string, CardBanner> = { created: 'new', overdue: 'overdue', reopened: 'reopened' };

/**
 * Posts one outbox event to the staff group: a new, overdue or reopened tip as a card with actions,
 * or the reporter's added information. Idempotent: the event is claimed first and marked sent with
 * the message id, so a repeated job finds nothing to do. Never includes the reporter's identity.
 */
export const tipsStaffPost: Processor<{ eventId: number }> = async (data, deps) => {
  const eventId = idField(data, 'eventId');
  if (!eventId) return { skipped: 'bad data' };
  const chatId = deps.config.staffChatId;
  if (chatId === undefined) {
    // Left pending: once STAFF_CHAT_ID is set, the sweep posts everything that waited.
    deps.logger.warn({ eventId }, 'STAFF_CHAT_ID is not set; tip event stays pending');
    return { skipped: 'no staff chat' };
  }
  const tips = tipsFor(deps);
  const lease = await claimLeased(tips, eventId, 'staff');
  if (!lease) return { skipped: 'already sent' };
  try {
    return await send(lease.event, chatId);
  } finally {
    lease.stop();
  }

  async function send(event: OutboxEvent, chatId: number): Promise<unknown> {
    const eventId = event.id;
    const tip = await tips.store.get(event.tipId);
    if (!tip) {
      await tips.outbox.settle(eventId, 'staff', 'skipped');
      return { skipped: 'no tip' };
    }
    const s = deps.content.strings;
    let posted = false;
    try {
      const extra = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true } };
      if (event.action === 'info') {
        const m = await deps.telegram.sendMessage(chatId, s.t('tips.staff.info', { tracking: esc(tip.trackingNo), note: esc(event.note ?? '') }), extra);
        await tips.outbox.settle(eventId, 'staff', 'sent', m.message_id);
        return { posted: m.message_id };
      }
      const card = await deps.telegram.sendMessage(chatId, staffCardHtml(deps.content, tip, BANNERS[event.action]), { ...extra, ...staffKeyboard(deps.content, tip) });
      // Marked sent before the photos: a crash among the photos must not post the card twice.
      await tips.outbox.settle(eventId, 'staff', 'sent', card.message_id);
      posted = true;
      if (event.action === 'created') {
        for (const [i, photo] of tip.photos.entries()) {
          await deps.telegram.sendPhoto(chatId, photo, {
            caption: s.t('tips.staff.photo_caption', { tracking: tip.trackingNo, index: i + 1, total: tip.photos.length }),
            reply_parameters: { message_id: card.message_id, allow_sending_without_reply: true },
          }).catch((err: unknown) => deps.logger.warn({ err: sanitizedError(err), tipId: tip.id }, 'tip photo not posted'));
        }
        await postTipSuggestion(tip, card.message_id, chatId, deps);
      }
      return { posted: card.message_id };
    } catch (err) {
      if (posted) return { posted: true, photos: 'interrupted' };
      await tips.outbox.release(eventId, 'staff');
      const wait = retryAfterMs(err);
      if (wait) await deps.sendLimiter?.pause(wait);
      throw sanitizedError(err);
    }
  }
};
