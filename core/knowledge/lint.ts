import type { KnowledgeBase } from './knowledge-base.ts';
import { MAX_SHORT_ANSWER } from './kb-entry.ts';

const OFF_TOPIC_FILE = 'content/lexicon/out-of-scope.yaml';
const EMERGENCY_FILE = 'content/lexicon/emergency.yaml';

export interface LintProblem {
  readonly file: string;
  readonly level: 'error' | 'warning';
  readonly message: string;
}

/**
 * Checks what a schema cannot: each alternate phrasing must retrieve its own entry first (otherwise a
 * resident asking that way gets another answer), titles are distinct, short answers fit a phone screen.
 */
export function lintKnowledgeBase(kb: KnowledgeBase): LintProblem[] {
  const problems: LintProblem[] = [];
  const titles = new Map<string, string>();
  for (const e of kb.entries) {
    const prior = titles.get(e.title);
    if (prior) problems.push({ file: e.file, level: 'error', message: `title "${e.title}" is also the title of ${prior}` });
    titles.set(e.title, e.id);
    const len = [...e.answer].length;
    if (len > MAX_SHORT_ANSWER) {
      problems.push({ file: e.file, level: 'warning', message: `short answer is ${len} characters (aim for ${MAX_SHORT_ANSWER} or fewer)` });
    }
    for (const q of [e.title, ...e.questions]) {
      const a = kb.answerer.ask(q);
      if (a.entry?.id !== e.id) {
        const got = a.entry ? `${a.entry.id} (score ${a.score})` : `no answer (score ${a.score})`;
        problems.push({ file: e.file, level: 'error', message: `phrasing "${q}" retrieves ${got} instead of ${e.id}` });
      }
    }
  }
  // An off-topic phrasing that answers with a safety entry means the subject and the entry overlap.
  for (const t of kb.offTopics) {
    for (const q of t.questions) {
      const a = kb.answerer.ask(q);
      if (a.kind === 'answer') problems.push({ file: OFF_TOPIC_FILE, level: 'error', message: `off-topic "${t.id}" phrasing "${q}" is answered by ${a.entry?.id} instead` });
    }
  }
  problems.push(...lintConcepts(kb));
  return problems;
}

/**
 * The concept lexicon is what keeps one shared word from carrying an answer: every entry must be about
 * at least one hazard or thing it names, declared concepts must exist, and each emergency rule's
 * concepts and entry must exist (a typo would silently drop the rule's extra block).
 */
function lintConcepts(kb: KnowledgeBase): LintProblem[] {
  const problems: LintProblem[] = [];
  const { concepts } = kb.concepts;
  const ids = new Set(kb.entries.map((e) => e.id));
  for (const e of kb.entries) {
    for (const c of e.concepts ?? []) {
      if (!concepts.has(c)) problems.push({ file: e.file, level: 'error', message: `concept "${c}" is not in ${kb.concepts.file}` });
    }
    const about = [...(kb.index.entryConcepts.get(e.id) ?? [])].map((c) => concepts.get(c)?.kind);
    if (!about.length) problems.push({ file: e.file, level: 'error', message: 'names no concept of concepts.yaml: add words there or declare `concepts:`' });
    else if (!about.some((k) => k === 'hazard' || k === 'thing')) {
      problems.push({ file: e.file, level: 'warning', message: 'is about no hazard or thing, only places or situations' });
    }
  }
  for (const r of kb.triager.rules) {
    for (const c of r.concepts) {
      if (!concepts.has(c)) problems.push({ file: EMERGENCY_FILE, level: 'error', message: `rule "${r.id}": concept "${c}" is not in concepts.yaml` });
    }
    if (r.entry && !ids.has(r.entry)) problems.push({ file: EMERGENCY_FILE, level: 'error', message: `rule "${r.id}": entry "${r.entry}" does not exist` });
    if (r.entry && r.concepts.length) {
      const about = kb.index.entryConcepts.get(r.entry);
      if (about && !r.concepts.some((c) => about.has(c))) {
        problems.push({ file: EMERGENCY_FILE, level: 'warning', message: `rule "${r.id}": its entry ${r.entry} is about none of the rule's concepts` });
      }
    }
  }
  return problems;
}
