import { Composer, Markup } from 'telegraf';
import { MAX_YEAR, MIN_YEAR, todayIn } from '../../core/broadcast/dates.ts';
import { checkTypedDay } from '../../core/broadcast/day-input.ts';
import { escapeHtml } from '../../core/broadcast/render-script.ts';
import type { Script } from '../../core/broadcast/script-source.ts';
import { dayParts, neighbourDays, readingMinutes } from '../../core/broadcast/script-view.ts';
import { UserFacingError } from '../../core/errors.ts';
import type { BotContext } from '../context.ts';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { shorten } from '../keyboards.ts';
import { replyHtml } from '../reply.ts';

/**
 * Loudspeaker operators fetch a day's broadcast script: /today, /script YYYY-MM-DD [镇街], the
 * 今日广播 menu entry, and previous/next-day buttons. Scripts are read only through deps.scripts, so
 * an urgent or already-delivered script is what the operator sees.
 */
export function operatorScriptsFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();

  c.command('today', (ctx) => sendScript(ctx, today(ctx), ctx.payload.trim()));

  c.command('script', async (ctx) => {
    const [day, ...town] = ctx.payload.trim().split(/\s+/).filter(Boolean);
    if (!day) return ctx.reply(ctx.t('operator.usage'));
    const check = checkTypedDay(day);
    if (check.kind === 'malformed') return ctx.reply(ctx.t('operator.bad_date', { input: shorten(day, 30) }));
    if (check.kind === 'unsupported') {
      return ctx.reply(ctx.t('operator.out_of_range', { date: check.date, min: MIN_YEAR, max: MAX_YEAR }));
    }
    await sendScript(ctx, check.date, town.join(''));
  });

  c.hears(
    (text, ctx) => (text === ctx.t('bot.menu_buttons.today') ? ([text] as unknown as RegExpExecArray) : null),
    (ctx) => sendScript(ctx, today(ctx), ''),
  );

  c.on('callback_query', async (ctx, next) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    if (cb?.kind !== 'script') return next();
    let script: Script;
    try {
      script = await ctx.deps.scripts.forDate(cb.date, cb.town);
    } catch (err) {
      // A forged town id in a well-formed button: the button is simply not one we made.
      if (err instanceof UserFacingError || err instanceof RangeError) return ctx.answerCbQuery(ctx.t('bot.expired'));
      throw err;
    }
    await ctx.answerCbQuery();
    await send(ctx, script, cb.town);
  });

  return c;
}

/** The command list entries of this feature, for setMyCommands. */
export function operatorCommands(t: (key: string) => string) {
  return (['today', 'script'] as const).map((command) => ({ command, description: t(`operator.commands.${command}`) }));
}

/** "Today" is the operator's calendar day in the broadcast time zone, not the server's. */
function today(ctx: BotContext): string {
  return todayIn(ctx.deps.config.broadcast.timezone, new Date(ctx.deps.now()));
}

async function sendScript(ctx: BotContext, date: string, townText: string): Promise<void> {
  // Buttons and links carry the town's id, so a name typed any way (龙兴, 龙兴镇) gives one button.
  // No town name is this long; a longer one is echoed back shortened in the "not found" reply.
  const typed = shorten(townText, 20);
  const town = typed ? (ctx.deps.content.towns.find(typed)?.id ?? typed) : await subscribedTown(ctx);
  let script: Script;
  try {
    script = await ctx.deps.scripts.forDate(date, town);
  } catch (err) {
    if (err instanceof UserFacingError) {
      await ctx.reply(err.userText);
      return;
    }
    throw err;
  }
  await send(ctx, script, town);
}

/** A subscribed operator reads their own town's wording by default: the same script the dawn broadcast sent them. */
async function subscribedTown(ctx: BotContext): Promise<string | undefined> {
  const chatId = ctx.chat?.id;
  const sub = chatId === undefined ? undefined : await ctx.deps.broadcast.subscribers.get(chatId);
  return sub?.active && sub.role === 'operator' ? sub.townId : undefined;
}

async function send(ctx: BotContext, script: Script, town: string | undefined): Promise<void> {
  const meta = [
    ctx.t('operator.length', { chars: script.chars, minutes: readingMinutes(script.chars) }),
    script.sources.length ? ctx.t('operator.sources', { sources: script.sources.map((s) => s.title).join('、') }) : '',
  ].join('');
  const html = `${ctx.t('operator.script', { title: escapeHtml(script.title), text: escapeHtml(script.text) })}\n\n<i>${escapeHtml(meta)}</i>`;
  ctx.deps.metrics.inc('scripts_served_total', { via: 'bot' });
  ctx.log.info({ date: script.date, town, chars: script.chars }, 'script sent');
  await replyHtml(ctx, html, dayKeyboard(ctx, script.date, town));
}

function dayKeyboard(ctx: BotContext, date: string, town: string | undefined) {
  const { prev, next } = neighbourDays(date);
  const label = (d: string): string => ctx.t('operator.day_label', dayParts(d));
  const days = [
    ...(prev ? [Markup.button.callback(ctx.t('operator.prev_day', { label: label(prev) }), encodeCallback({ kind: 'script', date: prev, town }))] : []),
    ...(next ? [Markup.button.callback(ctx.t('operator.next_day', { label: label(next) }), encodeCallback({ kind: 'script', date: next, town }))] : []),
  ];
  const base = ctx.deps.config.publicUrl;
  const link = base ? [[Markup.button.url(ctx.t('operator.print_link'), printableUrl(base, date, town))]] : [];
  return Markup.inlineKeyboard([days, ...link]);
}

export function printableUrl(base: string, date: string, town: string | undefined): string {
  return `${base}/scripts/${date}${town ? `?town=${encodeURIComponent(town)}` : ''}`;
}
