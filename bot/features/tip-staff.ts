import { Composer } from 'telegraf';
import { cleanText, codePoints, TIP_LIMITS } from '../../core/tips/tip-model.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback } from '../../core/callback-data.ts';
import { afterAction, isStaff, onStaffButton } from '../tips/staff-actions.ts';

/**
 * Staff triage of tips in the staff group: the card buttons (受理 / 转办 / 办结 / 驳回 / 疑似重复 /
 * 查看实名) and the replies to 办结/驳回 prompts that carry the result note or the reason.
 */
export function tipStaffFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'tip-staff' && cb?.kind !== 'tip-dept') return next();
    await onStaffButton(ctx, cb);
  });
  c.on('message', async (ctx, next) => {
    const msg = ctx.message;
    const replyTo = 'reply_to_message' in msg ? msg.reply_to_message : undefined;
    if (!replyTo || replyTo.from?.id !== ctx.botInfo.id || ctx.chat.type === 'private') return next();
    const { triage } = ctx.deps.tips;
    const prompt = await triage.findPrompt(ctx.chat.id, replyTo.message_id);
    if (!prompt) return next();
    if (!isStaff(ctx)) return void (await ctx.reply(ctx.t('tips.staff.not_staff'), { reply_parameters: { message_id: msg.message_id } }));
    const note = 'text' in msg ? cleanText(msg.text) : '';
    if (!note || codePoints(note) > TIP_LIMITS.staffNoteMax) {
      return void (await ctx.reply(ctx.t('tips.staff.note_bad', { max: TIP_LIMITS.staffNoteMax }), { reply_parameters: { message_id: msg.message_id } }));
    }
    // Whoever removes the prompt acts: a note sent twice (or by two staff at once) is applied once.
    if (!(await triage.deletePrompt(prompt.chatId, prompt.messageId))) return;
    const r = await triage.act(prompt.tipId, prompt.version, prompt.action, ctx.from.id, { note });
    const tip = r.kind === 'ok' ? r.tip : r.kind === 'stale' ? r.tip : undefined;
    const tracking = tip?.trackingNo ?? '';
    if (r.kind !== 'ok') return void (await ctx.reply(ctx.t('tips.staff.note_stale', { tracking })));
    await afterAction(ctx, r, prompt.cardMessageId !== undefined ? { chatId: prompt.chatId, messageId: prompt.cardMessageId } : undefined);
    await ctx.reply(ctx.t(prompt.action === 'close' ? 'tips.staff.done_close' : 'tips.staff.done_reject', { tracking }));
  });
  return c;
}
