import type { Strings } from '../content/strings.ts';
import type { KbEntry } from './kb-entry.ts';
import type { SearchIndex } from './search-index.ts';
import type { Triager } from './triage.ts';
import { hasHan } from './tokenize.ts';

export const MAX_QUESTION_CHARS = 500;
/**
 * Below this confidence the service says it does not know: the lowest that rejects 95% of the tuning
 * sets' out-of-scope questions (`npm run bench -- calibrate`, fitted with the model in confidence.ts).
 */
export const DEFAULT_THRESHOLD = 0.482;

export interface TopicRef {
  readonly id: string;
  readonly title: string;
}

/** `off_topic`: a subject the bot does not cover (out-of-scope.yaml), answered with where to ask instead. */
export type AnswerKind = 'answer' | 'unknown' | 'off_topic' | 'emergency' | 'invalid';

/** Everything a channel needs to reply; `answer` is Markdown that channels render for themselves. */
export interface Answer {
  readonly question: string;
  readonly kind: AnswerKind;
  readonly answer: string;
  readonly matched: boolean;
  readonly emergency: boolean;
  readonly score: number;
  readonly sources: readonly TopicRef[];
  /** Close or related topics offered as follow-ups (buttons in the chat). */
  readonly related: readonly TopicRef[];
  readonly entry?: KbEntry;
}

export interface Answerer {
  ask(question: string): Answer;
  /** The curated answer of one entry, as when a related-topic button is pressed. */
  answerEntry(id: string): Answer | undefined;
  readonly threshold: number;
}

export interface AnswererDeps {
  readonly index: SearchIndex;
  readonly triager: Triager;
  readonly strings: Strings;
  readonly threshold?: number;
}

const ref = (e: KbEntry): TopicRef => ({ id: e.id, title: e.title });
const round = (n: number): number => Math.round(n * 1000) / 1000;

/**
 * Emergencies first, then curated content, then an honest "I don't know". The answer text is only ever
 * assembled from content files, never generated, so every sentence a resident reads has a source.
 */
export function createAnswerer(deps: AnswererDeps): Answerer {
  const { index, triager, strings: s } = deps;
  const threshold = deps.threshold ?? DEFAULT_THRESHOLD;
  const byId = new Map(index.entries.map((e) => [e.id, e]));

  const entryText = (e: KbEntry): string => `${e.answer}\n\n${s.t('ask.source', { source: e.source })}`;
  const invalid = (question: string, key: string, vars?: Record<string, number>): Answer => ({
    question, kind: 'invalid', answer: s.t(key, vars), matched: false, emergency: false, score: 0, sources: [], related: [],
  });

  const ask = (question: string): Answer => {
    const q = question.trim();
    const triage = triager.triage(q);
    const emergency = triage.rules.length > 0;
    if (!emergency) {
      if (!q) return invalid(question, 'ask.empty');
      if (!hasHan(q)) return invalid(question, /[a-z]{2}/i.test(q) ? 'ask.not_chinese' : 'ask.no_text');
      if ([...q].length > MAX_QUESTION_CHARS) return invalid(question, 'ask.too_long', { max: MAX_QUESTION_CHARS });
    }
    const { hits, offTopic } = index.match(q.slice(0, MAX_QUESTION_CHARS * 2), 4);
    const top = hits[0];
    // An off-topic subject that ranks above every entry wins: no safety answer, and no close topics.
    const off = offTopic && (!top || offTopic.rank > top.rank) ? offTopic.topic : undefined;
    const matched = !off && !!top && top.score >= threshold;
    const score = round(top?.score ?? 0);
    const parts: string[] = [];
    if (emergency) {
      parts.push(s.t('ask.emergency_header', { numbers: triage.numbers.join('、') }));
      const actions = triage.rules.slice(0, 2).flatMap((r) => r.actions);
      parts.push([...new Set(actions)].map((a, i) => `${i + 1}. ${a}`).join('\n'));
      if (matched) parts.push(`${s.t('ask.emergency_more')}\n${entryText(top.entry)}`);
    } else if (matched) {
      parts.push(entryText(top.entry));
      if (triage.hypothetical) parts.push(s.t('ask.remember_numbers', { numbers: triage.numbers.join('、') }));
    } else if (off) {
      parts.push(off.reply);
    } else {
      parts.push(s.t('ask.unknown'));
      if (hits.length) parts.push(`${s.t('ask.close_topics')}\n${hits.slice(0, 3).map((h) => `• ${h.entry.title}`).join('\n')}`);
      parts.push(s.t('ask.hotlines'));
    }
    return {
      question,
      kind: emergency ? 'emergency' : matched ? 'answer' : off ? 'off_topic' : 'unknown',
      answer: parts.join('\n\n'),
      matched,
      emergency,
      score,
      sources: matched ? [ref(top.entry)] : [],
      related: off ? [] : (matched ? hits.slice(1) : hits).slice(0, 3).map((h) => ref(h.entry)),
      entry: matched ? top.entry : undefined,
    };
  };

  const answerEntry = (id: string): Answer | undefined => {
    const e = byId.get(id);
    if (!e) return undefined;
    const related = index.search(e.title, 4).filter((h) => h.entry.id !== id).slice(0, 3).map((h) => ref(h.entry));
    return { question: e.title, kind: 'answer', answer: entryText(e), matched: true, emergency: false, score: 1, sources: [ref(e)], related, entry: e };
  };

  return { ask, answerEntry, threshold };
}

/** The CLI and API contract: exactly these fields, in this order. */
export function toContract(a: Answer) {
  return { question: a.question, answer: a.answer, matched: a.matched, emergency: a.emergency, sources: a.sources, score: a.score };
}
