import type { KbEntry } from './kb-entry.ts';
import type { SearchIndex } from './search-index.ts';
import { tokenize } from './tokenize.ts';

/**
 * Two-character words of a question that only an entry's `more` section has: "灭火器能用几年" asks about
 * the service life the short answer leaves out. Past MIN_DETAIL_WORDS of them the reply includes `more`.
 */
const MIN_DETAIL_WORDS = 2;

const cache = new WeakMap<KbEntry, { more: Set<string>; rest: Set<string> }>();

/** Whether the question asks about a detail found only in the entry's `more` section. */
export function moreIsAsked(question: string, entry: KbEntry, index: SearchIndex): boolean {
  if (!entry.more) return false;
  const bigrams = (text: string): Set<string> => new Set(tokenize(index.normalizer.normalize(text)).filter((t) => !t.unigram).map((t) => t.text));
  let sets = cache.get(entry);
  if (!sets) {
    sets = { more: bigrams(entry.more), rest: bigrams([entry.title, ...entry.questions, ...entry.tags, entry.answer].join('\n')) };
    cache.set(entry, sets);
  }
  let found = 0;
  for (const w of bigrams(question)) if (sets.more.has(w) && !sets.rest.has(w)) found++;
  return found >= MIN_DETAIL_WORDS;
}
