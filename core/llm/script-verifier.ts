import { countChars, NOT_READ_ALOUD } from '../broadcast/read-aloud.ts';

export interface VerifyOptions {
  /** Allowed length of the rewrite relative to the source, in spoken characters. */
  readonly minRatio: number;
  readonly maxRatio: number;
  /** Share of a key sentence's character pairs that must still be in the rewrite. */
  readonly keyCoverage: number;
}

export const DEFAULT_VERIFY_OPTIONS: VerifyOptions = { minRatio: 0.8, maxRatio: 1.25, keyCoverage: 0.6 };

export interface ScriptForVerify {
  readonly text: string;
  /** The entries read, in order: paragraphs 3 … 2 + n of the text are theirs. */
  readonly sources: readonly unknown[];
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reasons: readonly string[] };

const HAN = /\p{Script=Han}/u;
const NEGATION = /[不别禁勿莫]/;
const CN_DIGITS = /[零〇一二三四五六七八九十百千万两幺]{3,}/g;
// Words that introduce a law, an article, a penalty or a hotline; a rewrite may not use them more than the source.
const GUARDED_TERMS = ['《', '法律', '法规', '条例', '规定', '罚', '处罚', '拘留', '违法', '犯罪', '刑事', '热线', '号码', '电话', '网址', '公众号'];
const ARTICLE = /第[零〇一二三四五六七八九十百\d]+条/g;
const MONEY = /[\d零〇一二三四五六七八九十百千万两]+\s*(?:元|块钱)/g;

const count = (text: string, needle: string): number => text.split(needle).length - 1;
const matches = (text: string, re: RegExp): string[] => [...text.matchAll(re)].map((m) => m[0]);

function hanBigrams(sentence: string): string[] {
  const chars = [...sentence];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) if (HAN.test(chars[i]!) && HAN.test(chars[i + 1]!)) out.push(chars[i]! + chars[i + 1]!);
  return [...new Set(out)];
}

/** The sentences of advice that must survive: every statement of each entry read (questions are titles). */
export function keySentences(source: ScriptForVerify): string[] {
  const paragraphs = source.text.split(/\n\s*\n/);
  const n = source.sources.length;
  // generateScript's shape: opening, intro + lead, one paragraph per entry, local reminder, closing.
  const items = paragraphs.length === n + 4 ? paragraphs.slice(2, 2 + n) : paragraphs;
  return items
    .flatMap((p) => p.split(/(?<=[。！；？?])/))
    .map((s) => s.trim())
    .filter((s) => !/[？?]$/.test(s) && [...s].filter((c) => HAN.test(c)).length >= 6);
}

/**
 * Accepts a rewritten broadcast script only if it can be read aloud, keeps every number of the source
 * (emergency numbers first among them), adds no number, law, article, fine or hotline, keeps every
 * key sentence of advice (its negations word for word — "不要靠近" must not lose its "不要") and stays
 * within length bounds. Anything else keeps the deterministic script.
 */
export function verifyRewrite(source: ScriptForVerify, rewrite: string, options: Partial<VerifyOptions> = {}): Verdict {
  const o = { ...DEFAULT_VERIFY_OPTIONS, ...options };
  const src = source.text.normalize('NFKC');
  const out = rewrite.normalize('NFKC');
  const reasons: string[] = [];

  const bad = NOT_READ_ALOUD.exec(out);
  if (bad) reasons.push(`cannot be read aloud: "${bad[0].trim()}"`);

  const srcNumbers = new Set(matches(src, /\d+/g));
  const outNumbers = new Set(matches(out, /\d+/g));
  for (const n of srcNumbers) if (!outNumbers.has(n)) reasons.push(`number ${n} dropped`);
  for (const n of outNumbers) if (!srcNumbers.has(n)) reasons.push(`new number ${n}`);
  for (const n of matches(out, CN_DIGITS)) if (!src.includes(n)) reasons.push(`new number ${n}`);
  for (const w of matches(out, /[A-Za-z]{2,}/g)) if (!src.includes(w)) reasons.push(`new latin word ${w}`);

  for (const term of GUARDED_TERMS) if (count(out, term) > count(src, term)) reasons.push(`adds "${term}"`);
  for (const re of [ARTICLE, MONEY]) for (const m of matches(out, re)) if (!src.includes(m)) reasons.push(`adds "${m}"`);

  for (const sentence of keySentences(source)) {
    const pairs = hanBigrams(sentence);
    const kept = pairs.filter((p) => out.includes(p));
    const lostNegation = pairs.find((p) => NEGATION.test(p[0]!) && !out.includes(p));
    if (lostNegation) reasons.push(`negation "${lostNegation}" lost in: ${sentence}`);
    else if (pairs.length && kept.length / pairs.length < o.keyCoverage) reasons.push(`key point lost: ${sentence}`);
  }

  const ratio = countChars(out) / Math.max(1, countChars(src));
  if (ratio < o.minRatio || ratio > o.maxRatio) reasons.push(`length ratio ${ratio.toFixed(2)} outside ${o.minRatio}–${o.maxRatio}`);

  return reasons.length ? { ok: false, reasons } : { ok: true };
}
