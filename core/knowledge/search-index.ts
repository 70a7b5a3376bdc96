import type { KbEntry } from './kb-entry.ts';
import type { Normalizer } from './lexicon.ts';
import { countHan, tokenize } from './tokenize.ts';
import { confidenceOf, DEFAULT_CONFIDENCE_MODEL, OFF_TOPIC_GAP_CAP, type ConfidenceModel } from './confidence.ts';
import { NO_OUT_OF_SCOPE, type OffTopic, type OutOfScope } from './off-topic.ts';
import { agreement, type ConceptLexicon } from './concepts.ts';

export interface SearchHit {
  readonly entry: KbEntry;
  /** Ranking score: the lexical confidence + normalised BM25F. */
  readonly rank: number;
  /**
   * Confidence in [0, 1] that this entry answers the question (confidence.ts). Kept apart from the rank
   * because BM25 ranks well but says little about whether the question is in scope at all.
   */
  readonly score: number;
  readonly features: MatchFeatures;
}

/** The views of one match the confidence is made of; shares are of the question's token weight. */
export interface MatchFeatures {
  /** Best-phrasing Dice plus weighted body support, in [0, 1.2]: what the confidence model starts from. */
  readonly lexical: number;
  /** Weighted Dice overlap with the entry's best single phrasing. */
  readonly dice: number;
  /** Share of the question covered by the entry's phrasings taken together. */
  readonly strong: number;
  /** Share of the question covered by the whole entry, body included. */
  readonly all: number;
  /** Share of the question made of tokens the knowledge base has never seen. */
  readonly unknown: number;
  /** 1 when the question reads as a request for a service (out-of-scope.yaml: serviceIntent), else 0. */
  readonly service: number;
  /** Weighted share of the question's concepts this entry is about (concepts.ts); 0.5 when it names none. */
  readonly concept: number;
}

/** The knowledge-base hits, and the best off-topic subject when one matched at all. */
export interface SearchMatch {
  readonly hits: SearchHit[];
  readonly offTopic?: { readonly topic: OffTopic; readonly rank: number; readonly concept: number };
  /** The concepts the question names (concepts.ts), in order of mention. */
  readonly concepts: readonly string[];
}

export interface SearchIndex {
  readonly entries: readonly KbEntry[];
  /** Each entry's concepts: named in its title, phrasings or tags, or declared in `concepts:`. */
  readonly entryConcepts: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every concept some entry is about. */
  readonly coveredConcepts: ReadonlySet<string>;
  readonly lexicon?: ConceptLexicon;
  readonly normalizer: Normalizer;
  search(question: string, k?: number, opts?: MatchOptions): SearchHit[];
  match(question: string, k?: number, opts?: MatchOptions): SearchMatch;
}

export interface MatchOptions {
  /** False: rank by wording alone, ignoring concepts (close topics offered when nothing answers). */
  readonly gate?: boolean;
}

/**
 * Whether the best off-topic subject beats every entry: it ranks higher and is at least as much about
 * what the question names ("地铁站的AED怎么用" is about the AED, not the metro timetable).
 */
export function offTopicWins(m: SearchMatch): boolean {
  const top = m.hits[0];
  if (!m.offTopic) return false;
  // With no entry left, a subject that shares none of what the question names ("冰雹") is not the
  // answer either: that question is a gap in the knowledge base, not a service request.
  if (!top) return m.offTopic.concept >= 0.5;
  return m.offTopic.rank > top.rank && m.offTopic.concept >= top.features.concept;
}

export interface IndexOptions {
  /** Weight of a single Han character relative to a bigram. */
  readonly unigramWeight: number;
  /** Weight of the whole entry's (phrasings and body) coverage of the question. */
  readonly bodyWeight: number;
  /** Weight of the normalised BM25F score over all phrasings and the body together. */
  readonly bm25Weight: number;
  /**
   * Weight of a token the knowledge base has never seen, relative to the rarest known token. Unknown
   * words lower confidence (an off-topic question is mostly unknown words), but chatty questions carry
   * many harmless unknown words, so they count for less than a full known word.
   */
  readonly unknownWeight: number;
  /** Weight of the share of the question covered by the entry's phrasings taken together. */
  readonly strongCoverageWeight: number;
  /** Turns the match features into a probability; see confidence.ts. */
  readonly confidence: ConfidenceModel;
}

export const DEFAULT_INDEX_OPTIONS: IndexOptions = { unigramWeight: 0.5, bodyWeight: 0.2, bm25Weight: 2, unknownWeight: 1, strongCoverageWeight: 0, confidence: DEFAULT_CONFIDENCE_MODEL };

const K1 = 1.2;
const B = 0.75;
/** BM25F field weights: phrasings (title, alternate questions, tags) count more than the body. */
const STRONG_FIELD = 3;
const BODY_FIELD = 1;
/**
 * A hotline number (119, 12350…) in the question is the clearest sign of which entry it wants: an entry
 * whose title names it ranks this much higher, one whose title names only other numbers this much lower
 * ("打120要说些啥" is not the 119 entry, "12350是干啥的" not the 12345 one, though the wording matches).
 */
const NUMBER_MATCH = 0.3;
const NUMBER = /^\d{3,}$/;

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
  outOfScope: OutOfScope = NO_OUT_OF_SCOPE,
  lexicon?: ConceptLexicon,
): SearchIndex {
  const offTopics = outOfScope.topics;
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
  const tokenList = (text: string): number[] => tokenize(normalizer.normalize(text)).map((t) => idOf(t.text, t.unigram));
  const tokenIds = (text: string): number[] => [...new Set(tokenList(text))];
  const strongTf: Map<number, number>[] = [];
  const bodyTf: Map<number, number>[] = [];
  const strongLen: number[] = [];
  const bodyLen: number[] = [];
  const countTf = (ids: number[]): Map<number, number> => {
    const m = new Map<number, number>();
    for (const t of ids) m.set(t, (m.get(t) ?? 0) + 1);
    return m;
  };

  const phraseEntry: number[] = [];
  const phraseTokens: number[][] = [];
  const df: number[] = [];
  // Tokens the entries use; a token only the off-topic subjects use is still unknown to the knowledge base.
  const inEntries: number[] = [];
  // Off-topic subjects are documents too (phrasings only, after the entries): they compete in the
  // ranking and share the vocabulary, so their words do not count as unknown.
  const docs = [
    ...entries.map((e) => ({ phrases: [e.title, ...e.questions, e.tags.join(' ')], body: `${e.answer}\n${e.more ?? ''}` })),
    ...offTopics.map((t) => ({ phrases: [...t.questions], body: '' })),
  ];
  docs.forEach(({ phrases, body }, i) => {
    const seen = new Set<number>();
    for (const p of phrases) {
      const ids = tokenIds(p);
      phraseEntry.push(i);
      phraseTokens.push(ids);
      ids.forEach((t) => seen.add(t));
    }
    const strongAll = phrases.flatMap(tokenList);
    strongTf.push(countTf(strongAll));
    strongLen.push(strongAll.length);
    const bodyAll = tokenList(body);
    bodyTf.push(countTf(bodyAll));
    bodyLen.push(bodyAll.length);
    bodyAll.forEach((t) => seen.add(t));
    seen.forEach((t) => (df[t] = (df[t] ?? 0) + 1));
    if (i < entries.length) seen.forEach((t) => (inEntries[t] = 1));
  });

  const n = docs.length;
  // Concepts per document, from its phrasings only: a body mentions neighbouring subjects in passing
  // (the bleach entry names coughing as a symptom; it is not about coughs).
  const docConcepts: ReadonlySet<string>[] = docs.map(({ phrases }, i) => {
    const declared = i < entries.length ? (entries[i]!.concepts ?? []) : [];
    return new Set([...(lexicon ? lexicon.find(phrases.join('\n')) : []), ...declared]);
  });
  const entryConcepts = new Map(entries.map((e, i) => [e.id, docConcepts[i]!]));
  const coveredConcepts = new Set(docConcepts.slice(0, entries.length).flatMap((c) => [...c]));
  const titleNumbers = entries.map((e) => new Set(tokenize(normalizer.normalize(e.title)).map((t) => t.text).filter((t) => NUMBER.test(t))));
  const unknownWeight = Math.log(1 + n / 0.5) * options.unknownWeight;
  const weight = Float64Array.from({ length: vocab.size }, (_, t) => {
    const w = Math.log(1 + n / ((df[t] ?? 0) + 0.5));
    return unigram[t] ? w * options.unigramWeight : w;
  });
  const phraseNorm = Float64Array.from(phraseTokens, (ids) => ids.reduce((s, t) => s + weight[t]!, 0));
  const phrasePostings = invert(phraseTokens, vocab.size);
  // BM25F: per (token, entry) the saturated, field-weighted term frequency, precomputed once.
  const avgStrong = strongLen.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const avgBody = bodyLen.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const entryTok: number[][] = [];
  const entryVal: number[][] = [];
  const entryStrong: number[][] = [];
  for (let e = 0; e < n; e++) {
    const tf = new Map<number, number>();
    const ns = 1 - B + (B * strongLen[e]!) / avgStrong;
    const nb = 1 - B + (B * bodyLen[e]!) / avgBody;
    for (const [t, c] of strongTf[e]!) tf.set(t, (tf.get(t) ?? 0) + (STRONG_FIELD * c) / ns);
    for (const [t, c] of bodyTf[e]!) tf.set(t, (tf.get(t) ?? 0) + (BODY_FIELD * c) / nb);
    entryTok.push([...tf.keys()]);
    entryVal.push([...tf.values()].map((x) => (x * (K1 + 1)) / (x + K1)));
    entryStrong.push([...tf.keys()].map((t) => (strongTf[e]!.has(t) ? 1 : 0)));
  }
  // One posting list per token over whole entries serves BM25 and both coverage measures.
  const entryPostings = invert(entryTok, vocab.size, [entryVal, entryStrong]);
  const postBm25 = Float64Array.from(entryPostings.values[0]!);
  const postStrong = Uint8Array.from(entryPostings.values[1]!);

  // Scratch buffers reused across searches: the index is used from one thread.
  const phraseMatched = new Float64Array(phraseTokens.length);
  const bm25 = new Float64Array(n);
  const strongCov = new Float64Array(n);
  const allCov = new Float64Array(n);
  const best = new Float64Array(n);
  const touchedPhrases = new Int32Array(phraseTokens.length);
  const touchedEntries = new Int32Array(n);

  const match = (question: string, k = 3, opts: MatchOptions = {}): SearchMatch => {
    const gate = opts.gate !== false;
    const tokens = tokenize(normalizer.normalize(question));
    const known = new Set<number>();
    const unknown = new Set<string>();
    let qNorm = 0;
    let unknownNorm = 0;
    for (const t of tokens) {
      const id = vocab.get(t.text);
      if (id === undefined) {
        if (!unknown.has(t.text)) {
          unknown.add(t.text);
          const w = t.unigram ? unknownWeight * options.unigramWeight : unknownWeight;
          qNorm += w;
          unknownNorm += w;
        }
      } else if (!known.has(id)) {
        known.add(id);
        qNorm += weight[id]!;
        if (!inEntries[id]) unknownNorm += weight[id]!;
      }
    }
    const concepts = lexicon ? lexicon.find(question) : [];
    if (qNorm === 0 || known.size === 0) return { hits: [], concepts };
    const chars = countHan(question);
    const numbers = tokens.filter((t) => NUMBER.test(t.text)).map((t) => t.text);
    const service = outOfScope.serviceIntent.test(question) ? 1 : 0;

    let nPhrases = 0;
    let nEntries = 0;
    for (const t of known) {
      const w = weight[t]!;
      for (let i = phrasePostings.offsets[t]!, end = phrasePostings.offsets[t + 1]!; i < end; i++) {
        const p = phrasePostings.docs[i]!;
        if (phraseMatched[p] === 0) touchedPhrases[nPhrases++] = p;
        phraseMatched[p] = phraseMatched[p]! + w;
      }
      for (let i = entryPostings.offsets[t]!, end = entryPostings.offsets[t + 1]!; i < end; i++) {
        const e = entryPostings.docs[i]!;
        if (allCov[e] === 0) touchedEntries[nEntries++] = e;
        allCov[e] = allCov[e]! + w;
        bm25[e] = bm25[e]! + w * postBm25[i]!;
        if (postStrong[i]) strongCov[e] = strongCov[e]! + w;
      }
    }
    for (let i = 0; i < nPhrases; i++) {
      const p = touchedPhrases[i]!;
      const e = phraseEntry[p]!;
      const dice = (2 * phraseMatched[p]!) / (qNorm + phraseNorm[p]!);
      if (dice > best[e]!) best[e] = dice;
      phraseMatched[p] = 0;
    }
    const hits: SearchHit[] = [];
    let offTopic: SearchMatch['offTopic'];
    for (let i = 0; i < nEntries; i++) {
      const e = touchedEntries[i]!;
      const dice = best[e]!;
      const all = allCov[e]! / qNorm;
      const strong = strongCov[e]! / qNorm;
      const lexical = dice + options.strongCoverageWeight * strong + options.bodyWeight * all;
      // BM25 is normalised by the best a document could score for this question, (K1 + 1) per unit weight.
      let rank = lexical + (options.bm25Weight * bm25[e]!) / (qNorm * (K1 + 1));
      if (numbers.length && e < entries.length && titleNumbers[e]!.size) rank += numbers.some((x) => titleNumbers[e]!.has(x)) ? NUMBER_MATCH : -NUMBER_MATCH;
      best[e] = 0;
      strongCov[e] = 0;
      allCov[e] = 0;
      bm25[e] = 0;
      if (e >= entries.length) {
        if (!offTopic || rank > offTopic.rank) offTopic = { topic: offTopics[e - entries.length]!, rank, concept: lexicon ? agreement(lexicon, concepts, docConcepts[e]!).share : 0.5 };
      } else if (hits.length < k || rank > hits[k - 1]!.rank) {
        // An entry about another subject than the question names never answers it, however many words
        // it shares ("咳嗽" is not the bleach entry, "高楼地震" not the high-rise fire one).
        const agreed = lexicon ? agreement(lexicon, concepts, docConcepts[e]!) : { passes: true, share: 0.5 };
        if (gate && !agreed.passes) continue;
        // Objects only for hits that enter the top k: at 10x the entries most touched ones never do,
        // and their garbage set the tail latency (GC pauses inside a question).
        const features: MatchFeatures = { lexical, dice, strong, all, unknown: unknownNorm / qNorm, service, concept: agreed.share };
        insertTopK(hits, { entry: entries[e]!, rank, score: 0, features }, k);
      }
    }
    // The confidence reads how far each entry ranks above the best off-topic subject, known only now.
    const scored = hits.map((h) => {
      const offTopicGap = offTopic ? h.rank - offTopic.rank : OFF_TOPIC_GAP_CAP;
      return { ...h, score: confidenceOf(options.confidence, { lexical: h.features.lexical, unknown: h.features.unknown, chars, offTopicGap, service, concept: h.features.concept }) };
    });
    return { hits: scored, offTopic, concepts };
  };

  return { entries, entryConcepts, coveredConcepts, lexicon, normalizer, search: (question, k, opts) => match(question, k, opts).hits, match };
}

/**
 * Posting lists in one flat array (token t's documents are docs[offsets[t]] .. docs[offsets[t + 1] - 1]),
 * with optional parallel per-posting values: a few large typed arrays instead of one small array per
 * token keeps the index compact in memory.
 */
interface Postings {
  readonly offsets: Int32Array;
  readonly docs: Int32Array;
  readonly values: number[][];
}

function invert(docs: number[][], vocabSize: number, parallel: number[][][] = []): Postings {
  const offsets = new Int32Array(vocabSize + 1);
  for (const ids of docs) for (const t of ids) offsets[t + 1] = offsets[t + 1]! + 1;
  for (let t = 0; t < vocabSize; t++) offsets[t + 1] = offsets[t + 1]! + offsets[t]!;
  const fill = offsets.slice(0, vocabSize);
  const out = new Int32Array(offsets[vocabSize]!);
  const values = parallel.map(() => new Array<number>(out.length).fill(0));
  docs.forEach((ids, d) =>
    ids.forEach((t, j) => {
      const at = fill[t]!;
      fill[t] = at + 1;
      out[at] = d;
      parallel.forEach((p, k) => (values[k]![at] = p[d]![j]!));
    }),
  );
  return { offsets, docs: out, values };
}

/** Keeps hits sorted by rank (ties keep the first seen, so results are deterministic). */
function insertTopK(hits: SearchHit[], hit: SearchHit, k: number): void {
  if (hits.length === k && hit.rank <= hits[k - 1]!.rank) return;
  let i = hits.length;
  while (i > 0 && hits[i - 1]!.rank < hit.rank) i--;
  hits.splice(i, 0, hit);
  if (hits.length > k) hits.pop();
}
