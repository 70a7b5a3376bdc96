import { loadKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { loadStrings, type Strings } from './strings.ts';
import { loadTowns, type Towns } from './towns.ts';
import { loadBroadcastContent, type BroadcastContent } from '../broadcast/broadcast-content.ts';

/** All content the service reads, validated together at start. */
export interface Content {
  readonly dir: string;
  readonly strings: Strings;
  readonly kb: KnowledgeBase;
  readonly towns: Towns;
  readonly broadcast: BroadcastContent;
}

export function loadContent(dir: string): Content {
  const strings = loadStrings(dir);
  const kb = loadKnowledgeBase(dir, strings);
  return { dir, strings, kb, towns: loadTowns(dir), broadcast: loadBroadcastContent(dir) };
}
