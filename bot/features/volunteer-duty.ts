import { Composer } from 'telegraf';
import { respond, saveReport, type DutyOutcome } from '../../core/volunteers/duty.ts';
import { checkFreeText, LIMITS } from '../../core/volunteers/input.ts';
import { REMINDER_LEAD_MS } from '../../core/volunteers/job-requests.ts';
import { formatLocal } from '../../core/volunteers/local-time.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback, type VolDutyAction } from '../../core/callback-data.ts';
import { enqueue, isPrivate, vol } from '../volunteer/deps.ts';
import { assignmentVars, dutyKeyboard, hours } from '../../core/volunteers/volunteer-messages.ts';
import { inputOf } from '../volunteer/wizard.ts';

const REPORT_FLOW = 'vol-report';

/** Outcomes answered with a short toast on the button; the others get a message in the chat. */
const TOASTS: Partial<Record<DutyOutcome, string>> = {
  'already-accepted': 'volunteer.already_accepted', 'already-declined': 'volunteer.already_declined',
  'already-checked-in': 'volunteer.already_checked_in', 'already-checked-out': 'volunteer.already_checked_out',
  'too-early': 'volunteer.too_early', ended: 'volunteer.ended', expired: 'bot.expired',
};
/** Outcomes after which the pressed message's buttons are stale and are removed. */
const CLOSES_BUTTONS: readonly DutyOutcome[] = ['accepted', 'declined', 'full', 'cancelled', 'withdrawn', 'checked-in', 'checked-out'];

async function dropButtons(ctx: BotContext): Promise<void> {
  // Best effort: the database already decided; an old message that can no longer be edited is fine.
  await ctx.editMessageReplyMarkup(undefined).catch((err: Error) => ctx.log.debug({ err: err.message }, 'could not remove buttons'));
}

async function onDuty(ctx: BotContext, action: Exclude<VolDutyAction, 'skip'>, memberId: number): Promise<void> {
  if (!ctx.from) return;
  const r = await respond(vol(ctx), memberId, ctx.from.id, action);
  // The database has decided; queue what follows (next candidate, reminder, staff notice) before replying.
  await enqueue(ctx, r.jobs);
  ctx.log.info({ member: memberId, action, outcome: r.outcome }, 'volunteer duty');
  const toast = TOASTS[r.outcome];
  if (toast || !r.assignment || !r.member) return void (await ctx.answerCbQuery(ctx.t(toast ?? 'bot.expired')));
  await ctx.answerCbQuery();
  if (CLOSES_BUTTONS.includes(r.outcome)) await dropButtons(ctx);
  const { content } = ctx.deps;
  const vars = assignmentVars(content, r.assignment);
  switch (r.outcome) {
    case 'accepted': {
      // Closer to the start than the reminder lead: no reminder will come, so do not promise one.
      const key = r.assignment.startsAt - ctx.deps.now() > REMINDER_LEAD_MS ? 'volunteer.accepted' : 'volunteer.accepted_soon';
      return void (await ctx.reply(ctx.t(key, vars), { parse_mode: 'HTML', ...dutyKeyboard(content, memberId, ['in', 'wd']) }));
    }
    case 'checked-in':
      return void (await ctx.reply(ctx.t('volunteer.checked_in', { time: formatLocal(ctx.deps.now()) }), dutyKeyboard(content, memberId, ['out'])));
    case 'checked-out':
      ctx.session.flow = { name: REPORT_FLOW, step: 'report', data: { memberId } };
      return void (await ctx.reply(ctx.t('volunteer.checked_out', { hours: hours(r.member.minutes ?? 0) }), dutyKeyboard(content, memberId, ['skip'])));
    case 'withdrawn':
      return void (await ctx.reply(ctx.t('volunteer.withdrawn', vars), { parse_mode: 'HTML' }));
    case 'declined':
      return void (await ctx.reply(ctx.t('volunteer.declined')));
    case 'full':
      return void (await ctx.reply(ctx.t('volunteer.full')));
    case 'cancelled':
      return void (await ctx.reply(ctx.t('volunteer.assignment_cancelled')));
  }
}

const reportMember = (ctx: BotContext): number | undefined => {
  const f = ctx.session?.flow;
  return f?.name === REPORT_FLOW && typeof f.data.memberId === 'number' ? f.data.memberId : undefined;
};

/**
 * Buttons on invitations, reminders and check-in messages (接受 / 婉拒 / 退出任务 / 签到 / 签退), and
 * the short report after checking out. Each press is checked against who owns the membership.
 */
export function volunteerDutyFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'vol-duty') return next();
    if (cb.action !== 'skip') return onDuty(ctx, cb.action, cb.memberId);
    if (reportMember(ctx) !== cb.memberId) return void (await ctx.answerCbQuery(ctx.t('bot.expired')));
    ctx.session.flow = undefined;
    await ctx.answerCbQuery();
    await dropButtons(ctx);
    await ctx.reply(ctx.t('volunteer.report_skipped'));
  });
  c.on('message', async (ctx, next) => {
    const memberId = reportMember(ctx);
    if (memberId === undefined || !isPrivate(ctx)) return next();
    const input = inputOf(ctx.message);
    if (input.text?.startsWith('/')) return next();
    const checked = input.text !== undefined ? checkFreeText(input.text, LIMITS.report, 1) : undefined;
    if ((!input.photo && !checked?.ok) || (checked && !checked.ok)) return void (await ctx.reply(ctx.t('volunteer.report_invalid')));
    const saved = await saveReport(vol(ctx), memberId, ctx.from.id, checked?.ok ? checked.value : null, input.photo ?? null);
    ctx.session.flow = undefined;
    await ctx.reply(ctx.t(saved ? 'volunteer.report_saved' : 'bot.expired'));
  });
  return c;
}
