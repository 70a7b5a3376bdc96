import type { Markup } from 'telegraf';
import type { BotContext } from './context.ts';
import { markdownToTelegramHtml } from './render/telegram-html.ts';
import { splitTelegramHtml } from './render/split-html.ts';

type Extra = ReturnType<typeof Markup.inlineKeyboard> | ReturnType<typeof Markup.keyboard>;

/** Renders Markdown to Telegram HTML, splits it safely and sends it; the keyboard rides on the last part. */
export async function replyMarkdown(ctx: BotContext, markdown: string, keyboard?: Extra): Promise<void> {
  await replyHtml(ctx, markdownToTelegramHtml(markdown), keyboard);
}

export async function replyHtml(ctx: BotContext, html: string, keyboard?: Extra): Promise<void> {
  const parts = splitTelegramHtml(html);
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    await ctx.reply(part, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(last && keyboard ? keyboard : {}) });
  }
}
