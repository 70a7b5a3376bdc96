import { Composer } from 'telegraf';
import type { BotContext } from '../context.ts';

/** Installed last: whatever no feature handled gets a helpful answer instead of silence. */
export function fallbackFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.on('callback_query', (ctx) => ctx.answerCbQuery(ctx.t('bot.expired')));
  c.on('message', async (ctx) => {
    if (ctx.chat.type !== 'private' && !('text' in ctx.message)) return;
    const isCommand = 'text' in ctx.message && ctx.message.text.startsWith('/');
    await ctx.reply(ctx.t(isCommand ? 'bot.unknown_command' : 'bot.non_text'));
  });
  return c;
}
