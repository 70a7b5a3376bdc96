import { Composer } from 'telegraf';
import type { BotContext } from '../context.ts';
import { decodeCallback } from '../../core/callback-data.ts';

/** Installed last: whatever no feature handled gets a helpful answer instead of silence. */
export function fallbackFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  // Each flow's own wording for a button pressed again or from an old message; a forged one gets the neutral line.
  c.on('callback_query', (ctx) => {
    const cb = decodeCallback('data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined);
    return ctx.answerCbQuery(ctx.t(cb?.kind === 'vol-flow' ? 'volunteer.flow_done' : 'bot.button_stale'));
  });
  c.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private' && !('text' in ctx.message)) return;
    const isCommand = 'text' in ctx.message && ctx.message.text.startsWith('/');
    await ctx.reply(ctx.t(isCommand ? 'bot.unknown_command' : 'bot.non_text'));
  });
  return c;
}
