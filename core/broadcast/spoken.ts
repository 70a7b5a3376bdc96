import { weekdayOf } from './dates.ts';

/**
 * Numbers written the way a loudspeaker operator reads them. "2026-11-29" read aloud is ambiguous
 * ("two thousand…" or digit by digit?); "二〇二六年十一月二十九日" is not.
 */

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六'] as const;

const digit = (n: number): string => DIGITS[n] ?? '';

/** 0–99 as Chinese numerals: 9 → 九, 10 → 十, 19 → 十九, 20 → 二十, 31 → 三十一. */
export function smallNumberZh(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) throw new RangeError(`expected 0–99, got ${n}`);
  if (n < 10) return n === 0 ? '零' : digit(n);
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? '' : digit(tens)}十${ones ? digit(ones) : ''}`;
}

/** Years are read digit by digit: 2026 → 二〇二六. */
export function yearZh(year: number): string {
  return [...String(year)].map((c) => digit(Number(c))).join('');
}

/** "2026-11-29" → "二〇二六年十一月二十九日". */
export function spokenDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${yearZh(y ?? 0)}年${smallNumberZh(m ?? 0)}月${smallNumberZh(d ?? 0)}日`;
}

/** "2026-11-29" → "星期日". */
export function spokenWeekday(date: string): string {
  return WEEKDAYS[weekdayOf(date)] ?? '';
}

/** 1 → 第一, 2 → 第二 … for items read aloud instead of "1." list markers. */
export function ordinalZh(n: number): string {
  return `第${smallNumberZh(n)}`;
}

/** A count before a measure word: 2 → 两 (两条, not 二条), otherwise the plain numeral. */
export function countZh(n: number): string {
  return n === 2 ? '两' : smallNumberZh(n);
}
