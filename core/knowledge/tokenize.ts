/**
 * CJK-aware tokens: single characters plus character bigrams for Han text, whole words for Latin
 * letters and digits. Bigrams carry word meaning without a segmenter, and single characters keep
 * recall when a dialect word or typo breaks a bigram.
 */
export interface Token {
  readonly text: string;
  /** Unigrams are weaker evidence than bigrams; the index scales their weight by this. */
  readonly unigram: boolean;
}

const HAN = /\p{Script=Han}/u;
const RUN = /\p{Script=Han}+|[a-z0-9]+/gu;

export function tokenize(normalized: string): Token[] {
  const out: Token[] = [];
  for (const m of normalized.matchAll(RUN)) {
    const run = m[0];
    if (!HAN.test(run[0] ?? '')) {
      out.push({ text: run, unigram: false });
      continue;
    }
    const chars = [...run];
    for (let i = 0; i < chars.length; i++) {
      out.push({ text: chars[i]!, unigram: true });
      if (i + 1 < chars.length) out.push({ text: chars[i]! + chars[i + 1]!, unigram: false });
    }
  }
  return out;
}

/** Whether the text has anything a question can be made of: Han characters or Latin words. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** Han characters in the text: the length that matters for confidence (digits, Latin and emoji carry no topic). */
export function countHan(text: string): number {
  return text.match(/\p{Script=Han}/gu)?.length ?? 0;
}
