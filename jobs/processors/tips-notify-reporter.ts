import type { OutboxEvent } from '../../core/tips/tip-outbox.ts';
import { callbackButton, inlineKeyboard } from '../../core/render/inline-keyboard.ts';
import { encodeCallback } from '../../core/callback-data.ts';
import { departmentLabel, esc } from '../../core/tips/tip-text.ts';
import { TIP_LIMITS } from '../../core/tips/tip-model.ts';
import type { Processor } from '../types.ts';
import { claimLeased, idField, isUnreachable, retryAfterMs, sanitizedError, tipsFor } from './tips-support.ts';

const NOTICE_KEY: Record<string, string> = { accept: 'accepted', transfer: 'verifying', close: 'closed', reject: 'rejected' };

/**
 * Pushes one status change to the reporter (受理 / 核查中 / 已办结 with the result / 不予受理 with the
 * reason). Idempotent through the outbox claim. A reporter who blocked the bot (403) or deleted their
 * link is recorded as such and the job succeeds: there is nothing to retry and nothing is wrong.
 */
export const tipsNotifyReporter: Processor<{ eventId: number }> = async (data, deps) => {
  const eventId = idField(data, 'eventId');
  if (!eventId) return { skipped: 'bad data' };
  const tips = tipsFor(deps);
  const lease = await claimLeased(tips, eventId, 'reporter');
  if (!lease) return { skipped: 'already sent' };
  try {
    return await send(lease.event);
  } finally {
    lease.stop();
  }

  async function send(event: OutboxEvent): Promise<unknown> {
    const eventId = event.id;
    const key = NOTICE_KEY[event.action];
    const tip = await tips.store.get(event.tipId);
    const chatId = await tips.outbox.reporterChat(event.tipId);
    if (!key || !tip || chatId === undefined) {
      await tips.outbox.settle(eventId, 'reporter', chatId === undefined ? 'unlinked' : 'skipped');
      return { skipped: chatId === undefined ? 'unlinked' : 'nothing to say' };
    }
    const s = deps.content.strings;
    const text = s.t(`tips.notice.${key}`, {
      tracking: esc(tip.trackingNo), note: esc(event.note ?? ''), department: departmentLabel(deps.content, event.departmentId),
    });
    // "Not fixed" only while the tip is still closed by this event and has a reopen left.
    const reopen = event.action === 'close' && tip.status === 'closed' && tip.reopenCount < TIP_LIMITS.reopenMax
      ? inlineKeyboard([[callbackButton(s.t('tips.reopen_button', { tracking: tip.trackingNo }), encodeCallback({ kind: 'tip-mine', op: 'reopen', tipId: tip.id }))]])
      : undefined;
    try {
      await deps.telegram.sendMessage(chatId, text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(reopen ?? {}) });
      await tips.outbox.settle(eventId, 'reporter', 'sent');
      return { sent: true };
    } catch (err) {
      if (isUnreachable(err)) {
        await tips.outbox.markUndeliverable(event.tipId);
        await tips.outbox.settle(eventId, 'reporter', 'undeliverable');
        deps.logger.info({ tipId: event.tipId, eventId }, 'reporter unreachable; status update recorded as undeliverable');
        return { undeliverable: true };
      }
      await tips.outbox.release(eventId, 'reporter');
      const wait = retryAfterMs(err);
      if (wait) await deps.sendLimiter?.pause(wait);
      throw sanitizedError(err);
    }
  }
};
