/** The bureau's time zone: tracking numbers and the per-day limit follow the local calendar day. */
export const TIP_TIMEZONE = 'Asia/Shanghai';

/** YYYYMMDD of the instant `ms` in `timeZone`. */
export function localDay(ms: number, timeZone = TIP_TIMEZONE): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}${get('month')}${get('day')}`;
}

/** JB20261129-0007: 'JB' (举报), the local date, the day's sequence (4 digits, more if a day ever needs it). */
export function formatTrackingNo(day: string, seq: number): string {
  return `JB${day}-${String(seq).padStart(4, '0')}`;
}

export const TRACKING_NO = /^JB\d{8}-\d{4,}$/;

/** Local date and time for people (staff cards, exports): 2026-11-29 08:05. */
export function localDateTime(iso: string, timeZone = TIP_TIMEZONE): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}
