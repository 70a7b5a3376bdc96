import { Composer } from 'telegraf';
import type { BotContext } from '../context.ts';
import { mainMenu, type MenuKey } from '../keyboards.ts';
import { replyHtml } from '../reply.ts';

/** Menu entries whose feature is not built yet say so plainly instead of pretending. */
const NOT_READY: readonly MenuKey[] = [];

/** /start, /help, /privacy, /menu and the reply-keyboard menu. */
export function startFeature(): Composer<BotContext> {
  const c = new Composer<BotContext>();
  c.start((ctx) => replyHtml(ctx, ctx.t('bot.start'), mainMenu(ctx.deps.content.strings)));
  c.command('help', (ctx) => replyHtml(ctx, ctx.t('bot.help'), mainMenu(ctx.deps.content.strings)));
  c.command('privacy', (ctx) => replyHtml(ctx, ctx.t('bot.privacy')));
  c.command('menu', (ctx) => ctx.reply(ctx.t('bot.menu'), mainMenu(ctx.deps.content.strings)));
  c.hears(
    (text, ctx) => text === ctx.t('bot.menu_buttons.qa') ? [text] as unknown as RegExpExecArray : null,
    (ctx) => ctx.reply(ctx.t('bot.menu_qa')),
  );
  c.hears(
    (text, ctx) => text === ctx.t('bot.menu_buttons.help') ? [text] as unknown as RegExpExecArray : null,
    (ctx) => replyHtml(ctx, ctx.t('bot.help')),
  );
  for (const key of NOT_READY) {
    c.hears(
      (text, ctx) => text === ctx.t(`bot.menu_buttons.${key}`) ? [text] as unknown as RegExpExecArray : null,
      (ctx) => ctx.reply(ctx.t('bot.menu_not_ready', { feature: ctx.t(`bot.menu_buttons.${key}`) })),
    );
  }
  return c;
}

/** The command list shown by Telegram clients, set once at start. */
export function botCommands(t: (key: string) => string) {
  return [
    ...(['start', 'menu', 'help', 'privacy'] as const).map((command) => ({ command, description: t(`bot.commands.${command}`) })),
    ...(['report', 'mytips', 'delete_me'] as const).map((command) => ({ command, description: t(`tips.commands.${command}`) })),
    ...(['volunteer', 'me', 'myhours'] as const).map((command) => ({ command, description: t(`volunteer.commands.${command}`) })),
  ];
}
