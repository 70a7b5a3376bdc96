import path from 'node:path';
import type { Strings } from '../content/strings.ts';
import { createAnswerer, type Answerer } from './answer.ts';
import { loadKbEntries, type KbEntry } from './kb-entry.ts';
import { loadNormalizer, type Normalizer } from './lexicon.ts';
import { createSearchIndex, type SearchIndex } from './search-index.ts';
import { loadTriager, type Triager } from './triage.ts';
import { loadOutOfScope, type OffTopic } from './off-topic.ts';
import { loadConceptLexicon, type ConceptLexicon } from './concepts.ts';

export interface KnowledgeBase {
  readonly entries: readonly KbEntry[];
  readonly normalizer: Normalizer;
  /** Hazards, things, places and situations questions and entries are about (concepts.yaml). */
  readonly concepts: ConceptLexicon;
  /** Subjects the bot does not cover, indexed with the entries (off-topic.ts). */
  readonly offTopics: readonly OffTopic[];
  readonly index: SearchIndex;
  readonly triager: Triager;
  readonly answerer: Answerer;
}

/** Loads and validates the knowledge base, lexicon and triage rules; throws ContentError on bad content. */
export function loadKnowledgeBase(contentDir: string, strings: Strings, threshold?: number): KnowledgeBase {
  const normalizer = loadNormalizer(contentDir);
  const concepts = loadConceptLexicon(contentDir, normalizer);
  const triager = loadTriager(contentDir, normalizer, (text) => concepts.isWord(text));
  const entries = loadKbEntries(path.join(contentDir, 'kb'));
  const outOfScope = loadOutOfScope(contentDir);
  const index = createSearchIndex(entries, normalizer, undefined, outOfScope, concepts);
  const answerer = createAnswerer({ index, triager, strings, threshold });
  return { entries, normalizer, concepts, offTopics: outOfScope.topics, index, triager, answerer };
}
