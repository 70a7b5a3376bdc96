/**
 * Calendar days as plain `YYYY-MM-DD` strings.
 *
 * A broadcast belongs to a calendar day in Asia/Shanghai, not to an instant, so everything here works on
 * day numbers computed with Date.UTC: no local time zone, no daylight-saving or midnight surprises. The
 * only place an instant becomes a day is `todayIn`, which asks Intl for the day in the given zone.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Earliest and latest years a script can be generated for; outside them the calendar tables say nothing. */
export const MIN_YEAR = 2020;
export const MAX_YEAR = 2050;

/** True for a real calendar day written as YYYY-MM-DD (rejects 2026-02-30, 2026-1-5, 2026-13-01). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** True when the date is valid and inside the years scripts are generated for. */
export function isSupportedDate(text: string): boolean {
  if (!isIsoDate(text)) return false;
  const year = Number(text.slice(0, 4));
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

/** Days since 1970-01-01; consecutive days differ by exactly one. Throws RangeError on a malformed date. */
export function dayNumber(date: string): number {
  if (!isIsoDate(date)) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / MS_PER_DAY;
}

/** The inverse of dayNumber. */
export function fromDayNumber(n: number): string {
  return new Date(n * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(date: string): number {
  return (((dayNumber(date) + 4) % 7) + 7) % 7;
}

/** `MM-DD` of a date, for yearly rules. */
export function monthDay(date: string): string {
  return date.slice(5, 10);
}

export function monthOf(date: string): number {
  return Number(date.slice(5, 7));
}

export function yearOf(date: string): number {
  return Number(date.slice(0, 4));
}

/** 全国中小学生安全教育日 falls on the last Monday of March. */
export function lastMondayOfMarch(year: number): string {
  const march31 = `${String(year).padStart(4, '0')}-03-31`;
  // Step back from 31 March to the nearest Monday (weekday 1).
  return addDays(march31, -((weekdayOf(march31) + 6) % 7));
}

/** The calendar day an instant falls on in a time zone, e.g. the operator's "today" in Asia/Shanghai. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(now);
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
