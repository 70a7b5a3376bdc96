import path from 'node:path';
import type { Strings } from '../content/strings.ts';
import { createAnswerer, type Answerer } from './answer.ts';
import { loadKbEntries, type KbEntry } from './kb-entry.ts';
import { loadNormalizer, type Normalizer } from './lexicon.ts';
import { createSearchIndex, type SearchIndex } from './search-index.ts';
import { loadTriager, type Triager } from './triage.ts';

export interface KnowledgeBase {
  readonly entries: readonly KbEntry[];
  readonly normalizer: Normalizer;
  readonly index: SearchIndex;
  readonly triager: Triager;
  readonly answerer: Answerer;
}

/** Loads and validates the knowledge base, lexicon and triage rules; throws ContentError on bad content. */
export function loadKnowledgeBase(contentDir: string, strings: Strings, threshold?: number): KnowledgeBase {
  const normalizer = loadNormalizer(contentDir);
  const triager = loadTriager(contentDir, normalizer);
  const entries = loadKbEntries(path.join(contentDir, 'kb'));
  const index = createSearchIndex(entries, normalizer);
  const answerer = createAnswerer({ index, triager, strings, threshold });
  return { entries, normalizer, index, triager, answerer };
}
