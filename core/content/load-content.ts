import { loadKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { loadStrings, type Strings } from './strings.ts';

/** All content the service reads, validated together at start. */
export interface Content {
  readonly dir: string;
  readonly strings: Strings;
  readonly kb: KnowledgeBase;
}

export function loadContent(dir: string): Content {
  const strings = loadStrings(dir);
  const kb = loadKnowledgeBase(dir, strings);
  return { dir, strings, kb };
}
