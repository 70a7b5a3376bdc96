/**
 * Staff exports as CSV or JSON. CSV is for Excel on a Chinese Windows desktop: UTF-8 with a byte-order
 * mark (without it Excel guesses GBK and shows mojibake), CRLF line ends, RFC 4180 quoting, and cells
 * that start like a formula (= + - @) prefixed with ' so a tip text cannot run as a formula.
 */
export interface Column<T> {
  readonly key: string;
  /** Header shown in the CSV (Chinese for staff); JSON uses `key`. */
  readonly header: string;
  readonly value: (row: T) => string | number | boolean | null | undefined;
  /** The JSON value when it differs from the CSV cell (a boolean instead of 是/否, a status code). */
  readonly json?: (row: T) => unknown;
}

export type ExportFormat = 'csv' | 'json';

export function toCsv<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const lines = [columns.map((c) => csvCell(c.header)), ...rows.map((r) => columns.map((c) => csvCell(c.value(r))))];
  return `\uFEFF${lines.map((l) => l.join(',')).join('\r\n')}\r\n`;
}

export function toJson<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  return `${JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c) => [c.key, (c.json ? c.json(r) : c.value(r)) ?? null]))), null, 2)}\n`;
}

export function exportTable<T>(format: ExportFormat, rows: readonly T[], columns: readonly Column<T>[]): string {
  return format === 'csv' ? toCsv(rows, columns) : toJson(rows, columns);
}

export function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
