import type { KbEntry } from './kb-entry.ts';
import type { Normalizer } from './lexicon.ts';
import { tokenize } from './tokenize.ts';

export interface SearchHit {
  readonly entry: KbEntry;
  /** Confidence in [0, 1.2]: how well the question matches the entry's best phrasing, plus body support. */
  readonly score: number;
}

export interface SearchIndex {
  readonly entries: readonly KbEntry[];
  search(question: string, k?: number): SearchHit[];
}

export interface IndexOptions {
  /** Weight of a single Han character relative to a bigram. */
  readonly unigramWeight: number;
  /** Weight of the body's coverage of the question, added to the best phrasing's match. */
  readonly bodyWeight: number;
}

export const DEFAULT_INDEX_OPTIONS: IndexOptions = { unigramWeight: 0.5, bodyWeight: 0.2 };

/**
 * An inverted index over each entry's phrasings (title, alternate questions, tags) and body.
 * A question is scored against every phrasing by weighted Dice overlap of IDF-weighted tokens, so a
 * paraphrase of any one phrasing wins, while words the knowledge base has never seen (an off-topic
 * question) lower the score instead of being ignored.
 */
export function createSearchIndex(
  entries: readonly KbEntry[],
  normalizer: Normalizer,
  options: IndexOptions = DEFAULT_INDEX_OPTIONS,
): SearchIndex {
  const vocab = new Map<string, number>();
  const unigram: boolean[] = [];
  const idOf = (text: string, isUni: boolean): number => {
    let id = vocab.get(text);
    if (id === undefined) {
      id = vocab.size;
      vocab.set(text, id);
      unigram.push(isUni);
    }
    return id;
  };
  const tokenIds = (text: string): number[] => [
    ...new Set(tokenize(normalizer.normalize(text)).map((t) => idOf(t.text, t.unigram))),
  ];

  const phraseEntry: number[] = [];
  const phraseTokens: number[][] = [];
  const bodyTokens: number[][] = [];
  const df: number[] = [];
  entries.forEach((e, i) => {
    const phrases = [e.title, ...e.questions, e.tags.join(' ')];
    const seen = new Set<number>();
    for (const p of phrases) {
      const ids = tokenIds(p);
      phraseEntry.push(i);
      phraseTokens.push(ids);
      ids.forEach((t) => seen.add(t));
    }
    const body = tokenIds(`${e.answer}\n${e.more ?? ''}`);
    bodyTokens.push(body);
    body.forEach((t) => seen.add(t));
    seen.forEach((t) => (df[t] = (df[t] ?? 0) + 1));
  });

  const n = entries.length;
  const unknownWeight = Math.log(1 + n / 0.5);
  const weight = Float64Array.from({ length: vocab.size }, (_, t) => {
    const w = Math.log(1 + n / ((df[t] ?? 0) + 0.5));
    return unigram[t] ? w * options.unigramWeight : w;
  });
  const phraseNorm = Float64Array.from(phraseTokens, (ids) => ids.reduce((s, t) => s + weight[t]!, 0));
  const phrasePostings = invert(phraseTokens, vocab.size);
  const bodyPostings = invert(bodyTokens, vocab.size);

  // Scratch buffers reused across searches: the index is used from one thread.
  const phraseMatched = new Float64Array(phraseTokens.length);
  const bodyMatched = new Float64Array(n);
  const best = new Float64Array(n);

  const search = (question: string, k = 3): SearchHit[] => {
    const tokens = tokenize(normalizer.normalize(question));
    const known = new Set<number>();
    let qNorm = 0;
    const unknown = new Set<string>();
    for (const t of tokens) {
      const id = vocab.get(t.text);
      if (id === undefined) {
        if (!unknown.has(t.text)) {
          unknown.add(t.text);
          qNorm += t.unigram ? unknownWeight * options.unigramWeight : unknownWeight;
        }
      } else if (!known.has(id)) {
        known.add(id);
        qNorm += weight[id]!;
      }
    }
    if (qNorm === 0 || known.size === 0) return [];

    const touchedPhrases: number[] = [];
    const touchedEntries: number[] = [];
    for (const t of known) {
      const w = weight[t]!;
      for (const p of phrasePostings[t]!) {
        if (phraseMatched[p] === 0) touchedPhrases.push(p);
        phraseMatched[p] = phraseMatched[p]! + w;
      }
      for (const e of bodyPostings[t]!) {
        if (bodyMatched[e] === 0 && best[e] === 0) touchedEntries.push(e);
        bodyMatched[e] = bodyMatched[e]! + w;
      }
    }
    for (const p of touchedPhrases) {
      const e = phraseEntry[p]!;
      const dice = (2 * phraseMatched[p]!) / (qNorm + phraseNorm[p]!);
      if (bodyMatched[e] === 0 && best[e] === 0) touchedEntries.push(e);
      if (dice > best[e]!) best[e] = dice;
      phraseMatched[p] = 0;
    }
    const hits: SearchHit[] = [];
    for (const e of touchedEntries) {
      const score = best[e]! + (options.bodyWeight * bodyMatched[e]!) / qNorm;
      best[e] = 0;
      bodyMatched[e] = 0;
      insertTopK(hits, { entry: entries[e]!, score }, k);
    }
    return hits;
  };

  return { entries, search };
}

function invert(docs: number[][], vocabSize: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: vocabSize }, () => []);
  docs.forEach((ids, d) => ids.forEach((t) => lists[t]!.push(d)));
  return lists.map((l) => Int32Array.from(l));
}

/** Keeps hits sorted by score (ties: earlier entry first, so results are deterministic). */
function insertTopK(hits: SearchHit[], hit: SearchHit, k: number): void {
  if (hits.length === k && hit.score <= hits[k - 1]!.score) return;
  let i = hits.length;
  while (i > 0 && hits[i - 1]!.score < hit.score) i--;
  hits.splice(i, 0, hit);
  if (hits.length > k) hits.pop();
}
