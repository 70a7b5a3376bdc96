import type { KbEntry } from './kb-entry.ts';
import type { SearchIndex } from './search-index.ts';
import { tokenize } from './tokenize.ts';

/**
 * Two-character words of a question that the entry's `more` section has and its short answer does not:
 * "压力表指针在红区" asks about the gauge the short answer leaves out. From MIN_DETAIL_WORDS of them the
 * reply includes `more` (the entry's phrasings are not counted as shown: they often ask for a detail).
 */
const MIN_DETAIL_WORDS = 2;

const cache = new WeakMap<KbEntry, { more: Set<string>; rest: Set<string> }>();

/** Whether the question asks about a detail found only in the entry's `more` section. */
export function moreIsAsked(question: string, entry: KbEntry, index: SearchIndex): boolean {
  if (!entry.more) return false;
  const bigrams = (text: string): Set<string> => new Set(tokenize(index.normalizer.normalize(text)).filter((t) => !t.unigram).map((t) => t.text));
  let sets = cache.get(entry);
  if (!sets) {
    sets = { more: bigrams(entry.more), rest: bigrams([entry.title, entry.answer].join('\n')) };
    cache.set(entry, sets);
  }
  let found = 0;
  for (const w of bigrams(question)) if (sets.more.has(w) && !sets.rest.has(w)) found++;
  return found >= MIN_DETAIL_WORDS;
}
