import { loadKnowledgeBase, type KnowledgeBase } from '../knowledge/knowledge-base.ts';
import { loadStrings, type Strings } from './strings.ts';
import { loadTowns, type Towns } from './towns.ts';
import { loadSkills, type Skills } from './skills.ts';
import { loadNegativeList, type NegativeList } from './negative-list.ts';
import { loadDepartments, type Departments } from './departments.ts';
import { loadBroadcastContent, type BroadcastContent } from '../broadcast/broadcast-content.ts';

/** All content the service reads, validated together at start. */
export interface Content {
  readonly dir: string;
  readonly strings: Strings;
  readonly kb: KnowledgeBase;
  readonly towns: Towns;
  /** Volunteer skills and availability choices. */
  readonly skills: Skills;
  readonly broadcast: BroadcastContent;
  /** The safety negative list residents report against (tips). */
  readonly negativeList: NegativeList;
  /** Departments staff can hand a tip over to. */
  readonly departments: Departments;
}

export function loadContent(dir: string): Content {
  const strings = loadStrings(dir);
  const kb = loadKnowledgeBase(dir, strings);
  return { dir, strings, kb, towns: loadTowns(dir), skills: loadSkills(dir), broadcast: loadBroadcastContent(dir),
    negativeList: loadNegativeList(dir), departments: loadDepartments(dir) };
}
