import { countChars } from './read-aloud.ts';
import { escapeHtml, escapeMarkdown } from './render-script.ts';
import { generateScript, type BroadcastScript, type ScriptContent } from './generate-script.ts';

/**
 * What one broadcast sends, stored as JSON in `broadcast_scripts.payload` at the first delivery so
 * the day's text is fixed from then on (audits, late fetches and retries all see the same words).
 */
export interface DailyPayload {
  readonly kind: 'daily';
  readonly date: string;
  /** True when staff replaced the generated script with their own text for this date. */
  readonly urgent: boolean;
  readonly district: BroadcastScript;
  /** Town variants (only the place wording differs), for the towns that had operators subscribed. */
  readonly towns: Readonly<Record<string, BroadcastScript>>;
  /** The residents' short daily tip. */
  readonly tip: { readonly title: string; readonly text: string };
}

export interface AlertPayload {
  readonly kind: 'alert';
  readonly text: string;
}

export type BroadcastPayload = DailyPayload | AlertPayload;

/** Longest staff-written urgent script: it must fit one Telegram message with its header. */
export const MAX_URGENT_SCRIPT_CHARS = 3000;
/** Longest urgent alert: alerts are read on a phone at once, so short. */
export const MAX_ALERT_CHARS = 1000;

// Script wording, like the titles generate-script.ts writes: it is part of the script, not the UI.
const URGENT_THEME = { id: 'urgent', name: '紧急广播' } as const;
const URGENT_TIP_TITLE = '今日紧急提醒';

/** A staff-written script in the same shape as a generated one, so every reader treats it alike. */
export function urgentScript(date: string, text: string): BroadcastScript {
  const [y, m, d] = date.split('-').map(Number);
  const title = `紧急广播稿（${y}年${m}月${d}日）`;
  const paragraphs = text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const markdown = [`# ${escapeMarkdown(title)}`, `**主题**：${URGENT_THEME.name}`, ...paragraphs.map(escapeMarkdown)].join('\n\n') + '\n';
  const html = [
    `<article class="broadcast-script broadcast-urgent" lang="zh-CN" data-date="${escapeHtml(date)}">`,
    `<h1>${escapeHtml(title)}</h1>`,
    `<p class="broadcast-theme">主题：${URGENT_THEME.name}</p>`,
    '<div class="broadcast-text">',
    ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    '</div>',
    '</article>',
  ].join('\n') + '\n';
  const joined = paragraphs.join('\n\n');
  return { date, title, theme: URGENT_THEME, text: joined, markdown, html, topics: [], sources: [], chars: countChars(joined) };
}

export interface BuildDailyInput {
  readonly date: string;
  readonly content: ScriptContent;
  /** Staff text set for this date with /urgent_script, if any. */
  readonly urgentText?: string;
  /** Towns whose operators will receive the script; their variants are stored too. */
  readonly townIds: readonly string[];
}

/** Builds the day's payload: the urgent script when staff set one, else the generated script. */
export function buildDailyPayload(input: BuildDailyInput): DailyPayload {
  const { date, content } = input;
  if (input.urgentText !== undefined) {
    const script = urgentScript(date, input.urgentText);
    return { kind: 'daily', date, urgent: true, district: script, towns: {}, tip: { title: URGENT_TIP_TITLE, text: script.text } };
  }
  const district = generateScript({ date, content });
  const towns: Record<string, BroadcastScript> = {};
  for (const id of new Set(input.townIds)) {
    if (content.towns?.byId(id)) towns[id] = generateScript({ date, town: id, content });
  }
  return { kind: 'daily', date, urgent: false, district, towns, tip: dailyTip(district, content.kb.entries) };
}

/** The residents' tip: the first entry the script reads, in its own read-aloud sentences. */
function dailyTip(script: BroadcastScript, entries: ScriptContent['kb']['entries']): DailyPayload['tip'] {
  const first = script.sources[0];
  const entry = first ? entries.find((e) => e.id === first.id) : undefined;
  if (entry?.broadcast) return { title: entry.title, text: entry.broadcast };
  // No entry with a read-aloud line: the script's second paragraph (the theme's introduction).
  return { title: script.theme.name, text: script.text.split('\n\n')[1] ?? script.text };
}

/**
 * The script for one town from a stored day. A town without a stored variant gets a fresh variant
 * only when it reads the same entries as what was delivered; otherwise the delivered district text.
 */
export function pickStoredScript(payload: DailyPayload, townId: string | undefined, fresh: () => BroadcastScript): BroadcastScript {
  if (townId === undefined || payload.urgent) return payload.district;
  const stored = payload.towns[townId];
  if (stored) return stored;
  const candidate = fresh();
  const ids = (s: BroadcastScript): string => s.sources.map((x) => x.id).join(',');
  return ids(candidate) === ids(payload.district) ? candidate : payload.district;
}
