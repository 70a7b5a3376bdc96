import { TIP_LIMITS, type Tip } from '../../core/tips/tip-model.ts';
import type { IdentityView } from '../../core/tips/tip-privacy.ts';
import type { StaffActResult } from '../../core/tips/tip-triage.ts';
import type { BotContext } from '../context.ts';
import type { TipCallback } from '../../core/tips/tip-callbacks.ts';
import { departmentKeyboard, staffCardHtml, staffKeyboard } from '../../core/tips/staff-card.ts';
import { enqueueReporterNotice } from './tip-jobs.ts';
import { departmentLabel, esc } from '../../core/tips/tip-text.ts';

type StaffButton = Extract<TipCallback, { kind: 'tip-staff' | 'tip-dept' }>;

export const isStaff = (ctx: BotContext): boolean => ctx.from !== undefined && ctx.deps.config.staffIds.includes(ctx.from.id);

/** Redraws a card (text and buttons) for the tip's new state; the old buttons' version no longer matches. */
export async function redrawCard(ctx: BotContext, tip: Tip, chatId?: number, messageId?: number): Promise<void> {
  const html = staffCardHtml(ctx.deps.content, tip);
  const extra = { parse_mode: 'HTML' as const, link_preview_options: { is_disabled: true }, ...staffKeyboard(ctx.deps.content, tip) };
  if ((chatId === undefined || messageId === undefined) && !ctx.callbackQuery) return;
  const edit = chatId !== undefined && messageId !== undefined
    ? ctx.telegram.editMessageText(chatId, messageId, undefined, html, extra)
    : ctx.editMessageText(html, extra);
  await edit.catch((err: Error) => ctx.log.warn({ err: err.message, tipId: tip.id }, 'tip card not redrawn'));
}

/** After a committed staff action: the card shows it and the reporter hears about status changes. */
export async function afterAction(ctx: BotContext, r: Extract<StaffActResult, { kind: 'ok' }>, card?: { chatId: number; messageId: number }): Promise<void> {
  ctx.log.info({ tipId: r.tip.id, status: r.tip.status, staffId: ctx.from?.id }, 'tip staff action');
  ctx.deps.metrics.inc('tip_staff_actions_total', { status: r.tip.status });
  if (r.notifyReporter) await enqueueReporterNotice(ctx, r.eventId);
  await redrawCard(ctx, r.tip, card?.chatId, card?.messageId);
}

/**
 * A button on a tip card. Only ids on the staff list act; the version in the button must match the
 * tip, so a stale or forged button changes nothing. 办结/驳回 ask for a note by a reply to a prompt.
 */
export async function onStaffButton(ctx: BotContext, cb: StaffButton): Promise<void> {
  if (!isStaff(ctx)) {
    ctx.log.warn({ op: cb.kind === 'tip-staff' ? cb.op : 'dept' }, 'tip action refused: not on the staff list');
    return void (await ctx.answerCbQuery(ctx.t('tips.staff.not_staff'), { show_alert: true }));
  }
  const staffId = ctx.from!.id;
  const { triage, privacy } = ctx.deps.tips;
  const stale = (): Promise<true> => ctx.answerCbQuery(ctx.t('tips.staff.stale'), { show_alert: true });
  if (cb.kind === 'tip-dept') {
    if (!ctx.deps.content.departments.byId(cb.dept)) return void (await stale());
    const r = await triage.act(cb.tipId, cb.version, 'transfer', staffId, { departmentId: cb.dept });
    if (r.kind !== 'ok') return void (await stale());
    await ctx.answerCbQuery(ctx.t('tips.staff.transferred', { tracking: r.tip.trackingNo, department: departmentLabel(ctx.deps.content, cb.dept) }));
    return afterAction(ctx, r);
  }
  if (cb.op === 'who') {
    const view = await privacy.viewIdentity(cb.tipId, staffId);
    ctx.log.info({ tipId: cb.tipId, staffId, outcome: view.kind }, 'tip identity viewed');
    return void (await ctx.answerCbQuery(identityText(ctx, view), { show_alert: true }));
  }
  const action = cb.op === 'back' ? 'transfer' : cb.op;
  const check = await triage.check(cb.tipId, cb.version, action);
  if (check.kind !== 'allowed') return void (await stale());
  const tip = check.tip;
  switch (cb.op) {
    case 'back':
      await ctx.answerCbQuery();
      return void (await ctx.editMessageReplyMarkup(staffKeyboard(ctx.deps.content, tip).reply_markup).catch(() => undefined));
    case 'transfer':
      await ctx.answerCbQuery(ctx.t('tips.staff.choose_department'));
      return void (await ctx.editMessageReplyMarkup(departmentKeyboard(ctx.deps.content, tip).reply_markup).catch(() => undefined));
    case 'close':
    case 'reject': {
      const chatId = ctx.chat?.id;
      const card = ctx.callbackQuery && 'message' in ctx.callbackQuery ? ctx.callbackQuery.message?.message_id : undefined;
      if (chatId === undefined) return void (await stale());
      const prompt = await ctx.telegram.sendMessage(chatId, ctx.t(`tips.staff.prompt_${cb.op}`, { tracking: esc(tip.trackingNo), max: TIP_LIMITS.staffNoteMax }), {
        parse_mode: 'HTML', reply_markup: { force_reply: true, input_field_placeholder: tip.trackingNo },
        ...(card ? { reply_parameters: { message_id: card, allow_sending_without_reply: true } } : {}),
      });
      await triage.savePrompt({ chatId, messageId: prompt.message_id, tipId: tip.id, action: cb.op, version: tip.version, ...(card ? { cardMessageId: card } : {}), staffId });
      return void (await ctx.answerCbQuery(ctx.t('tips.staff.prompt_sent')));
    }
    default: {
      const r = await triage.act(tip.id, tip.version, cb.op, staffId);
      if (r.kind !== 'ok') return void (await stale());
      await ctx.answerCbQuery(ctx.t(cb.op === 'accept' ? 'tips.staff.accepted' : 'tips.staff.marked_duplicate', { tracking: r.tip.trackingNo }));
      return afterAction(ctx, r);
    }
  }
}

/** Shown as an alert to the one staff member who asked (at most 200 characters; never posted in the group). */
function identityText(ctx: BotContext, view: IdentityView): string {
  if (view.kind === 'shown') return ctx.t('tips.staff.who_shown', { name: view.name, phone: view.phone });
  const key = { anonymous: 'who_anonymous', erased: 'who_erased', 'no-key': 'who_no_key', unreadable: 'who_unreadable', 'not-found': 'stale' }[view.kind];
  return ctx.t(`tips.staff.${key}`);
}
