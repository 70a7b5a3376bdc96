import { isIsoDate, isSupportedDate } from './dates.ts';

/**
 * What a requested day turned out to be. Readers (bot, web) tell "that is not a date" apart from
 * "that date has no script", because an operator who typed 2026-02-30 needs a different hint from
 * one who asked for 1999.
 */
export type DayCheck =
  | { readonly kind: 'ok'; readonly date: string }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'unsupported'; readonly date: string };

/** Checks a canonical `YYYY-MM-DD` (URLs, callback data): nothing else is accepted. */
export function checkIsoDay(text: string): DayCheck {
  if (!isIsoDate(text)) return { kind: 'malformed' };
  return isSupportedDate(text) ? { kind: 'ok', date: text } : { kind: 'unsupported', date: text };
}

const LOOSE_DAY = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/u;
const COMPACT_DAY = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Checks a day typed by a person in chat. Operators write dates the way they are used to on a phone
 * (2026-12-1, 2026/12/01, 2026.12.01, 2026年12月1日, 20261201, full-width digits), so those are all
 * read as the same day; anything that is not a real calendar day is `malformed`.
 */
export function checkTypedDay(text: string): DayCheck {
  const halfWidth = text.trim().replace(/[０-９／．－]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const m = LOOSE_DAY.exec(halfWidth) ?? COMPACT_DAY.exec(halfWidth);
  if (!m) return { kind: 'malformed' };
  const date = `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  return checkIsoDay(date);
}
