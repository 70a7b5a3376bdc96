import { Composer, Markup } from 'telegraf';
import { cancelAssignment } from '../../core/volunteers/staffing.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import { enqueue, isStaff, vol } from '../volunteer/deps.ts';
import { assignmentSummary } from '../../core/volunteers/volunteer-messages.ts';

/** At most this many assignments are listed at once; the soonest first. */
const LIST_LIMIT = 20;

const cancelButton = (ctx: BotContext, id: number, confirm: boolean) =>
  Markup.inlineKeyboard([[Markup.button.callback(
    ctx.t(confirm ? 'volunteer.buttons.confirm_cancel' : 'volunteer.buttons.cancel_assignment', { id }),
    encodeCallback({ kind: 'vol-staff', action: confirm ? 'cxy' : 'cx', assignmentId: id }),
  )]]);

/** /assignments: each open assignment with filled/needed and every volunteer's state, one message each. */
async function list(ctx: BotContext): Promise<void> {
  if (!isStaff(ctx)) return void (await ctx.reply(ctx.t('volunteer.staff_only')));
  const repos = vol(ctx);
  const open = await repos.assignments.listOpen(ctx.deps.now());
  if (!open.length) return void (await ctx.reply(ctx.t('volunteer.list_empty')));
  await ctx.reply(ctx.t('volunteer.list_header', { count: open.length }), { parse_mode: 'HTML' });
  for (const a of open.slice(0, LIST_LIMIT)) {
    const html = assignmentSummary(ctx.deps.content, a, await repos.members.ofAssignment(a.id));
    await ctx.reply(html, { parse_mode: 'HTML', ...cancelButton(ctx, a.id, false) });
  }
}

/**
 * Staff buttons are untrusted like any callback data: someone not on the staff list (or a forged id)
 * gets "expired" and nothing changes. Cancelling asks once more, then tells the volunteers by jobs.
 */
export function volunteerStaffFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.command('assignments', list);
  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'vol-staff') return next();
    const repos = vol(ctx);
    const a = isStaff(ctx) ? await repos.assignments.get(cb.assignmentId) : undefined;
    if (!a) {
      if (!isStaff(ctx)) ctx.log.warn({ action: cb.action }, 'staff button pressed by a non-staff user');
      return void (await ctx.answerCbQuery(ctx.t('bot.expired')));
    }
    if (a.status === 'cancelled') return void (await ctx.answerCbQuery(ctx.t('volunteer.cancel_already')));
    if (cb.action === 'cx') {
      await ctx.answerCbQuery();
      await ctx.reply(ctx.t('volunteer.cancel_confirm', { id: a.id, title: escapeHtml(a.title) }), { parse_mode: 'HTML', ...cancelButton(ctx, a.id, true) });
      return;
    }
    const r = await cancelAssignment(repos, a.id);
    await enqueue(ctx, r.jobs);
    ctx.log.info({ assignment: a.id, cancelled: r.cancelled, notices: r.jobs.length }, 'assignment cancelled');
    await ctx.answerCbQuery();
    await ctx.reply(ctx.t(r.cancelled ? 'volunteer.cancel_done' : 'volunteer.cancel_already', { id: a.id }));
  });
  return c;
}
