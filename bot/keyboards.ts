import { Markup } from 'telegraf';
import type { TopicRef } from '../core/knowledge/answer.ts';
import type { Strings } from '../core/content/strings.ts';
import { encodeCallback } from '../core/callback-data.ts';

export const MENU_KEYS = ['qa', 'report', 'volunteer', 'today', 'help'] as const;
export type MenuKey = (typeof MENU_KEYS)[number];

export function mainMenu(s: Strings) {
  const b = (k: MenuKey): string => s.t(`bot.menu_buttons.${k}`);
  return Markup.keyboard([[b('qa'), b('report')], [b('volunteer'), b('today'), b('help')]]).resize().persistent();
}

/** 详细 (when the answer has a longer section not shown), related topics (one per row, titles shortened for a phone) and the 👍/👎 row. */
export function answerKeyboard(s: Strings, related: readonly TopicRef[], logId?: number, moreOf?: string) {
  const rows = related.slice(0, 3).map((r) => [Markup.button.callback(shorten(r.title, 28), encodeCallback({ kind: 'topic', entryId: r.id }))]);
  if (moreOf) rows.unshift([Markup.button.callback(s.t('bot.more_button'), encodeCallback({ kind: 'more', entryId: moreOf }))]);
  if (logId !== undefined) {
    rows.push([
      Markup.button.callback(s.t('bot.feedback_up'), encodeCallback({ kind: 'feedback', logId, value: 1 })),
      Markup.button.callback(s.t('bot.feedback_down'), encodeCallback({ kind: 'feedback', logId, value: -1 })),
    ]);
  }
  return Markup.inlineKeyboard(rows);
}

export function shorten(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
