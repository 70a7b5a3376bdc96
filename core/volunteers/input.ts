/**
 * Validation of what volunteers and staff type. Each check returns the cleaned value or a reason key
 * under `volunteer.invalid.*` in content/strings.yaml, so the bot can say exactly what is wrong.
 */
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string; max?: number };

const codePoints = (s: string): number => [...s].length;
// Zero-width and bidi controls can make two names look alike or hide text; they never belong in a name.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/** Collapses whitespace, strips control and invisible characters, NFC-normalises. */
export function cleanText(input: string): string {
  return input.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/g, ' ').trim();
}

export const LIMITS = { name: 30, community: 40, title: 40, description: 500, place: 80, report: 500, needed: 50 } as const;

/**
 * A person's name: letters (any script, so 阿卜杜·热合曼 and Anna Li both pass), the middle dots used in
 * transliterated names, spaces and hyphens. Emoji, digits and symbols are refused: staff call people
 * by this name.
 */
export function checkName(input: string): Checked<string> {
  const v = cleanText(input);
  if (codePoints(v) < 2) return { ok: false, reason: 'name_short' };
  if (codePoints(v) > LIMITS.name) return { ok: false, reason: 'name_long', max: LIMITS.name };
  if (!/^[\p{L}\p{M}][\p{L}\p{M}·•・.\- ]*$/u.test(v)) return { ok: false, reason: 'name_chars' };
  return { ok: true, value: v };
}

/** Free text with a length limit that must contain at least one letter or digit (not only emoji). */
export function checkFreeText(input: string, max: number, min = 2): Checked<string> {
  const v = cleanText(input);
  if (codePoints(v) < min) return { ok: false, reason: 'text_short' };
  if (codePoints(v) > max) return { ok: false, reason: 'text_long', max };
  if (!/[\p{L}\p{N}]/u.test(v)) return { ok: false, reason: 'text_letters' };
  return { ok: true, value: v };
}

/**
 * A mainland China mobile number: 11 digits starting 13–19, typed with or without +86 / 0086 and with
 * spaces or dashes. Returns the bare 11 digits (what is encrypted and exported).
 */
export function normalizeMobile(input: string): string | undefined {
  const digits = input.normalize('NFKC').replace(/[\s\-()（）]/g, '');
  const m = /^(?:\+?86|0086)?(1[3-9]\d{9})$/.exec(digits);
  return m?.[1];
}

/** How many people an assignment needs: a whole number from 1 to LIMITS.needed. */
export function checkNeeded(input: string): Checked<number> {
  const v = input.normalize('NFKC').trim().replace(/人$/, '');
  if (!/^\d{1,3}$/.test(v)) return { ok: false, reason: 'needed', max: LIMITS.needed };
  const n = Number(v);
  if (n < 1 || n > LIMITS.needed) return { ok: false, reason: 'needed', max: LIMITS.needed };
  return { ok: true, value: n };
}
