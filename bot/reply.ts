import type { Markup } from 'telegraf';
import type { BotContext } from './context.ts';
import { markdownToTelegramHtml } from '../core/render/telegram-html.ts';
import { splitTelegramHtml } from '../core/render/split-html.ts';

type Extra = ReturnType<typeof Markup.inlineKeyboard> | ReturnType<typeof Markup.keyboard>;

/** Renders Markdown to Telegram HTML, splits it safely and sends it; the keyboard rides on the last part. */
export async function replyMarkdown(ctx: BotContext, markdown: string, keyboard?: Extra): Promise<void> {
  await sendParts(ctx, renderParts(markdown), keyboard);
}

export async function replyHtml(ctx: BotContext, html: string, keyboard?: Extra): Promise<void> {
  await sendParts(ctx, splitTelegramHtml(html), keyboard);
}

async function sendParts(ctx: BotContext, parts: readonly string[], keyboard?: Extra): Promise<void> {
  for (const [i, part] of parts.entries()) {
    const last = i === parts.length - 1;
    await ctx.reply(part, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(last && keyboard ? keyboard : {}) });
  }
}

// Curated answers repeat, and rendering one through marked and splitting it cost more CPU than finding
// it (profiled on the webhook path). A pure function's results, kept per Markdown text, bounded.
const RENDER_CACHE_MAX = 1000;
const rendered = new Map<string, readonly string[]>();

function renderParts(markdown: string): readonly string[] {
  let parts = rendered.get(markdown);
  if (!parts) {
    parts = splitTelegramHtml(markdownToTelegramHtml(markdown));
    if (rendered.size >= RENDER_CACHE_MAX) rendered.delete(rendered.keys().next().value!);
    rendered.set(markdown, parts);
  }
  return parts;
}
