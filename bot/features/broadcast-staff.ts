import { randomBytes } from 'node:crypto';
import { Composer, Markup } from 'telegraf';
import { message } from 'telegraf/filters';
import { MAX_ALERT_CHARS, MAX_URGENT_SCRIPT_CHARS } from '../../core/broadcast/daily-payload.ts';
import { addDays, todayIn } from '../../core/broadcast/dates.ts';
import { checkTypedDay } from '../../core/broadcast/day-input.ts';
import { enqueueAlert } from '../../jobs/broadcast/processors.ts';
import { broadcastStatusHtml } from '../broadcast/status-text.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { shorten } from '../keyboards.ts';
import { replyHtml } from '../reply.ts';

const ALERT = 'broadcast-alert';
const URGENT = 'broadcast-urgent';
type Action = 'alert' | 'urgent';

const isStaff = (ctx: BotContext): boolean => ctx.from !== undefined && ctx.deps.config.staffIds.includes(ctx.from.id);
const today = (ctx: BotContext): string => todayIn(ctx.deps.config.broadcast.timezone, new Date(ctx.deps.now()));
const chars = (text: string): number => [...text].length;

/**
 * Staff only (numeric ids in STAFF_IDS): /alert sends an urgent notice now to every subscriber, ahead
 * of everything else; /urgent_script YYYY-MM-DD replaces a day's generated script before it goes out;
 * /broadcast_status shows progress. Both changes are previewed and need a confirm button press, whose
 * nonce must match the draft kept in the staff member's own session.
 */
export function broadcastStaffFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const staffOnly = (handler: (ctx: BotContext) => Promise<unknown>) => async (ctx: BotContext): Promise<unknown> => {
    if (isStaff(ctx)) return handler(ctx);
    ctx.log.warn('staff command refused: sender is not on the staff list');
    return ctx.reply(ctx.t('broadcast.staff.only'));
  };

  c.command('alert', staffOnly(async (ctx) => {
    const text = ('payload' in ctx ? String(ctx.payload) : '').trim();
    if (text) return preview(ctx, 'alert', text);
    ctx.session.flow = { name: ALERT, step: 'text', data: {} };
    return ctx.reply(ctx.t('broadcast.staff.alert_prompt', { max: MAX_ALERT_CHARS }), promptExtra(ctx));
  }));

  c.command('urgent_script', staffOnly(async (ctx) => {
    const [day, word, ...rest] = ('payload' in ctx ? String(ctx.payload) : '').trim().split(/\s+/).filter(Boolean);
    const example = addDays(today(ctx), 1);
    if (!day || rest.length > 0 || (word !== undefined && word !== ctx.t('broadcast.staff.undo_word'))) {
      return ctx.reply(ctx.t('broadcast.staff.urgent_usage', { example }));
    }
    const check = checkTypedDay(day);
    if (check.kind !== 'ok') return ctx.reply(ctx.t('broadcast.staff.urgent_bad_date', { input: shorten(day, 30), example }));
    const date = check.date;
    if (date < today(ctx)) return ctx.reply(ctx.t('broadcast.staff.urgent_past', { date }));
    if (await ctx.deps.broadcast.store.daily(date)) return ctx.reply(ctx.t('broadcast.staff.urgent_delivered', { date }));
    if (word !== undefined) {
      const r = await ctx.deps.broadcast.store.clearUrgent(date);
      ctx.log.info({ date, result: r, staff: ctx.from?.id }, 'urgent script cleared');
      return ctx.reply(ctx.t(r === 'cleared' ? 'broadcast.staff.urgent_cleared' : r === 'none' ? 'broadcast.staff.urgent_none' : 'broadcast.staff.urgent_delivered', { date }));
    }
    ctx.session.flow = { name: URGENT, step: 'text', data: { date } };
    return ctx.reply(ctx.t('broadcast.staff.urgent_prompt', { date, max: MAX_URGENT_SCRIPT_CHARS }), promptExtra(ctx));
  }));

  c.command('broadcast_status', staffOnly(async (ctx) => {
    const { timezone, time } = ctx.deps.config.broadcast;
    return replyHtml(ctx, await broadcastStatusHtml(ctx.deps.broadcast, ctx.deps.content.strings, today(ctx), timezone, time));
  }));

  c.command('cancel', async (ctx, next) => {
    const name = ctx.session.flow?.name;
    if (name !== ALERT && name !== URGENT) return next();
    ctx.session.flow = undefined;
    return ctx.reply(ctx.t('broadcast.staff.cancelled'));
  });

  c.on(message('text'), async (ctx, next) => {
    const flow = ctx.session.flow;
    if ((flow?.name !== ALERT && flow?.name !== URGENT) || ctx.message.text.startsWith('/')) return next();
    if (!isStaff(ctx)) {
      ctx.session.flow = undefined;
      return next();
    }
    return preview(ctx, flow.name === ALERT ? 'alert' : 'urgent', ctx.message.text.trim(), String(flow.data.date ?? ''));
  });

  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'bc-confirm') return next();
    const flow = ctx.session.flow;
    const expected = cb.action === 'alert' ? ALERT : URGENT;
    if (!isStaff(ctx) || flow?.name !== expected || flow.step !== 'confirm' || flow.data.nonce !== cb.nonce) {
      return ctx.answerCbQuery(ctx.t('broadcast.staff.expired'));
    }
    ctx.session.flow = undefined;
    await ctx.answerCbQuery();
    if (!cb.ok) return ctx.reply(ctx.t('broadcast.staff.cancelled'));
    const text = String(flow.data.text ?? '');
    return cb.action === 'alert' ? sendAlert(ctx, text) : setUrgent(ctx, String(flow.data.date ?? ''), text);
  });

  return c;
}

/** In a group the bot hears only replies to itself, so prompts ask for a reply there. */
function promptExtra(ctx: BotContext) {
  return ctx.chat?.type === 'private' ? {} : Markup.forceReply();
}

async function preview(ctx: BotContext, action: Action, text: string, date = ''): Promise<unknown> {
  const max = action === 'alert' ? MAX_ALERT_CHARS : MAX_URGENT_SCRIPT_CHARS;
  if (!text || chars(text) > max) {
    ctx.session.flow = { name: action === 'alert' ? ALERT : URGENT, step: 'text', data: { date } };
    return ctx.reply(ctx.t(action === 'alert' ? 'broadcast.staff.alert_bad' : 'broadcast.staff.urgent_bad', { max }));
  }
  const nonce = randomBytes(4).toString('hex');
  ctx.session.flow = { name: action === 'alert' ? ALERT : URGENT, step: 'confirm', data: { date, text, nonce } };
  const button = (ok: boolean, label: string) => Markup.button.callback(label, encodeCallback({ kind: 'bc-confirm', action, ok, nonce }));
  const keyboard = Markup.inlineKeyboard([[
    button(true, ctx.t(action === 'alert' ? 'broadcast.staff.alert_confirm' : 'broadcast.staff.urgent_confirm')),
    button(false, ctx.t('broadcast.staff.cancel_button')),
  ]]);
  if (action === 'urgent') return replyHtml(ctx, ctx.t('broadcast.staff.urgent_preview', { date, text: escapeHtml(text) }), keyboard);
  const subs = await ctx.deps.broadcast.subscribers.activeCounts();
  return replyHtml(ctx, ctx.t('broadcast.staff.alert_preview', { operators: subs.operator, residents: subs.resident, text: escapeHtml(text) }), keyboard);
}

async function sendAlert(ctx: BotContext, text: string): Promise<unknown> {
  const staffId = ctx.from?.id ?? 0;
  // Stored first: if the queue is unreachable now, the scheduler's recovery enqueues it within a minute.
  const alert = await ctx.deps.broadcast.store.createAlert(today(ctx), text, staffId);
  ctx.log.info({ alert: alert.id, staff: staffId }, 'urgent alert confirmed');
  await enqueueAlert(ctx.deps.jobs, alert.id).catch((err: unknown) => ctx.log.error({ err: (err as Error)?.message, alert: alert.id }, 'alert stored but not enqueued; recovery will enqueue it'));
  return ctx.reply(ctx.t('broadcast.staff.alert_started', { id: alert.id }));
}

async function setUrgent(ctx: BotContext, date: string, text: string): Promise<unknown> {
  const staffId = ctx.from?.id ?? 0;
  const result = await ctx.deps.broadcast.store.setUrgent(date, text, staffId);
  ctx.log.info({ date, result, staff: staffId }, 'urgent script');
  if (result === 'delivered') return ctx.reply(ctx.t('broadcast.staff.urgent_delivered', { date }));
  return ctx.reply(ctx.t('broadcast.staff.urgent_set', { date, time: ctx.deps.config.broadcast.time }));
}
