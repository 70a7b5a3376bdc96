import type { KnowledgeBase } from './knowledge-base.ts';
import { MAX_SHORT_ANSWER } from './kb-entry.ts';

const OFF_TOPIC_FILE = 'content/lexicon/out-of-scope.yaml';

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
  return problems;
}
