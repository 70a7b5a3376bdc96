/**
 * Assignment times are typed and read in Asia/Shanghai. China has kept UTC+8 all year since 1991 (no
 * daylight saving), so a fixed offset is exact and avoids Intl look-ups in the hot path.
 */
const OFFSET_MS = 8 * 3_600_000;
const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

export interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** YYYY-MM-DD */
  readonly date: string;
}

export function localParts(ms: number): LocalParts {
  const d = new Date(ms + OFFSET_MS);
  const [year, month, day] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
  const date = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return { year, month, day, hour: d.getUTCHours(), minute: d.getUTCMinutes(), weekday: d.getUTCDay(), date };
}

/** The instant of a Shanghai wall-clock time; undefined for impossible dates like 2月30日. */
export function fromLocal(year: number, month: number, day: number, hour = 0, minute = 0): number | undefined {
  if (hour > 23 || minute > 59) return undefined;
  const t = Date.UTC(year, month - 1, day, hour, minute);
  const back = new Date(t);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return t - OFFSET_MS;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `12月1日（周二）09:00` — how every person reads a time. */
export function formatLocal(ms: number): string {
  const p = localParts(ms);
  return `${p.month}月${p.day}日（周${WEEKDAYS[p.weekday]}）${pad(p.hour)}:${pad(p.minute)}`;
}

/** `12月1日（周二）09:00–12:00`, or both full times when the range crosses midnight. */
export function formatRange(startMs: number, endMs: number): string {
  const a = localParts(startMs);
  const b = localParts(endMs);
  return a.date === b.date ? `${formatLocal(startMs)}–${pad(b.hour)}:${pad(b.minute)}` : `${formatLocal(startMs)} 至 ${formatLocal(endMs)}`;
}

const FULL_WIDTH = /[\uFF10-\uFF19\uFF1A\uFF0D\uFF0F]/g;
const DATE_TIME = new RegExp(
  '^(?:(今天|明天|后天)|(?:(\\d{4})[-/.年])?(\\d{1,2})[-/.月](\\d{1,2})[日号]?)' +
    '\\s*(上午|早上|中午|下午|晚上)?\\s*(\\d{1,2})(?::(\\d{2})|点(?:(\\d{1,2})分?|(半))?|时)?$',
);

/**
 * Parses what a staff member types for a start or end time: `2026-12-01 09:00`, `12-1 9:00`,
 * `12月1日 下午3点`, `明天 9点半`. Without a year, the next such day from `nowMs` is meant. A bare time
 * (`12:00`) is on `sameDayAs` when given (the end of an assignment that started that day).
 */
export function parseLocalDateTime(input: string, nowMs: number, sameDayAs?: number): number | undefined {
  const text = input.normalize('NFKC').replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).trim().replace(/\s+/g, ' ');
  if (text.length > 40) return undefined;
  const bare = /^(上午|早上|中午|下午|晚上)?\s*(\d{1,2})(?::(\d{2})|点(?:(\d{1,2})分?|(半))?)$/.exec(text);
  if (bare && sameDayAs !== undefined) {
    const d = localParts(sameDayAs);
    const clock = toClock(bare[1], bare[2], bare[3] ?? bare[4], bare[5]);
    return clock ? fromLocal(d.year, d.month, d.day, clock.hour, clock.minute) : undefined;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const clock = toClock(m[5], m[6], m[7] ?? m[8], m[9]);
  if (!clock) return undefined;
  const today = localParts(nowMs);
  if (m[1]) {
    const base = fromLocal(today.year, today.month, today.day) ?? nowMs;
    const d = localParts(base + { 今天: 0, 明天: 1, 后天: 2 }[m[1] as '今天'] * 86_400_000);
    return fromLocal(d.year, d.month, d.day, clock.hour, clock.minute);
  }
  const month = Number(m[3]);
  const day = Number(m[4]);
  if (m[2]) return fromLocal(Number(m[2]), month, day, clock.hour, clock.minute);
  // No year: this year unless that day is already past, then next year (typing 1月5日 in December).
  const thisYear = fromLocal(today.year, month, day, clock.hour, clock.minute);
  if (thisYear !== undefined && localParts(thisYear).date >= today.date) return thisYear;
  return fromLocal(today.year + 1, month, day, clock.hour, clock.minute);
}

function toClock(period: string | undefined, h: string | undefined, min: string | undefined, half: string | undefined): { hour: number; minute: number } | undefined {
  let hour = Number(h);
  const minute = half ? 30 : Number(min ?? 0);
  if (!Number.isInteger(hour) || hour > 23 || minute > 59) return undefined;
  if ((period === '下午' || period === '晚上') && hour < 12) hour += 12;
  if (period === '中午' && hour < 6) hour += 12;
  return { hour, minute };
}

/**
 * A calendar day typed as `2026-12-31`, `12-31` or `12月31日` (the next such day without a year).
 * Returns YYYY-MM-DD, or undefined when it is not a real day.
 */
export function parseLocalDate(input: string, nowMs: number): string | undefined {
  const text = input.normalize('NFKC').trim();
  const m = /^(?:(\d{4})[-/.年])?(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(text);
  if (!m) return undefined;
  const today = localParts(nowMs);
  const [month, day] = [Number(m[2]), Number(m[3])];
  const at = (year: number): string | undefined => {
    const t = fromLocal(year, month, day);
    return t === undefined ? undefined : localParts(t).date;
  };
  if (m[1]) return at(Number(m[1]));
  const thisYear = at(today.year);
  return thisYear !== undefined && thisYear >= today.date ? thisYear : at(today.year + 1);
}

/** The day `days` after the local day of `nowMs`, as YYYY-MM-DD. */
export function localDayAfter(nowMs: number, days: number): string {
  return localParts(nowMs + days * 86_400_000).date;
}

/** `2026-12-01 09:00` (Asia/Shanghai): for exports read in Excel. */
export function formatStamp(ms: number): string {
  const p = localParts(ms);
  return `${p.date} ${pad(p.hour)}:${pad(p.minute)}`;
}
