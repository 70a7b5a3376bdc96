import type { Strings } from '../content/strings.ts';
import { namesSubjectOf, subjects, uncovered } from './concepts.ts';
import type { KbEntry } from './kb-entry.ts';
import { moreIsAsked } from './more-detail.ts';
import { offTopicWins, type SearchIndex, type SearchMatch } from './search-index.ts';
import { DISTRESS_MODEL_RULE, type EmergencyRule, type Triage, type Triager } from './triage.ts';
import { countHan, hasHan } from './tokenize.ts';

export const MAX_QUESTION_CHARS = 500;
/** A question this short that names no concept is a word typed alone, not a question to answer. */
const MIN_UNNAMED_CHARS = 4;
/** The confidence an entry needs when the question names none of the hazards or things it is about. */
export const UNNAMED_SUBJECT_THRESHOLD = 0.75;
/**
 * Below this confidence the service says it does not know. Calibration (`npm run bench -- calibrate`)
 * gives 0.506 as the lowest that rejects 95% of the title-based sets' out-of-scope questions; on the
 * five blind tuning sets (`npm run bench -- blind`) 0.65 is the knee: summed over the sets, confident
 * wrong answers fall from 82.7 to 49.5 points while answered-correctly falls by 15 of 301 (a few
 * covered questions get the honest "not sure" with close topics instead). A wrong hazard's advice is
 * the worst reply this service can give, so the stricter value stands.
 */
export const DEFAULT_THRESHOLD = 0.65;

export interface TopicRef {
  readonly id: string;
  readonly title: string;
}

/**
 * `off_topic`: a subject the bot does not cover (out-of-scope.yaml), answered with where to ask instead.
 * `gap`: a safety subject no entry is about yet (concepts.yaml), said plainly rather than answered with a
 * neighbour's advice.
 */
export type AnswerKind = 'answer' | 'unknown' | 'gap' | 'off_topic' | 'emergency' | 'invalid';

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
  /** The emergency rule whose first steps lead the reply ('distress' or the model's id: a neutral header). */
  readonly emergencyRule?: string;
  /** The entry shown under an emergency's first steps, when one agrees with the rule's hazard. */
  readonly extra?: TopicRef;
  /** The subjects a gap reply names. */
  readonly gapSubjects?: readonly string[];
  /** True when the entry has a `more` section the reply did not include (the chat offers a 详细 button). */
  readonly moreAvailable?: boolean;
}

export interface Answerer {
  ask(question: string): Answer;
  /** The curated answer of one entry, as when a related-topic button is pressed. */
  answerEntry(id: string): Answer | undefined;
  /** An entry's answer with its `more` section, as when the 详细 button is pressed. */
  answerDetail(id: string): Answer | undefined;
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
const NEUTRAL_RULES = new Set(['distress', DISTRESS_MODEL_RULE]);

/**
 * Emergencies first, then curated content, then an honest "I don't know". The answer text is only ever
 * assembled from content files, never generated, so every sentence a resident reads has a source.
 */
export function createAnswerer(deps: AnswererDeps): Answerer {
  const { index, triager, strings: s } = deps;
  const threshold = deps.threshold ?? DEFAULT_THRESHOLD;
  const byId = new Map(index.entries.map((e) => [e.id, e]));
  const lex = index.lexicon;

  const entryText = (e: KbEntry, withMore = false): string =>
    `${e.answer}${withMore && e.more ? `\n\n${e.more}` : ''}\n\n${s.t('ask.source', { source: e.source })}`;
  const invalid = (question: string, key: string, vars?: Record<string, number>): Answer => ({
    question, kind: 'invalid', answer: s.t(key, vars), matched: false, emergency: false, score: 0, sources: [], related: [],
  });

  /**
   * The entry under an emergency's first steps: the retrieved one only when it is about the rule's
   * hazard, otherwise the one the rule names. Never a neighbour's advice (power lines under "someone
   * collapsed", rubble under "a hand in a machine").
   */
  const emergencyExtra = (rule: EmergencyRule, top: KbEntry | undefined): KbEntry | undefined => {
    // No rule names the hazard: only an entry that passed the concept gate on the question's own
    // subject (a mushroom, a burn) may follow the neutral header.
    if (NEUTRAL_RULES.has(rule.id)) return top;
    const about = top ? index.entryConcepts.get(top.id) : undefined;
    if (top && about && rule.concepts.some((c) => about.has(c))) return top;
    return rule.entry ? byId.get(rule.entry) : undefined;
  };

  /**
   * The rule whose steps lead: the first matched rule on a hazard the question names ("一氧化碳中毒"
   * matches 中毒 too: the CO steps fit better; "山上起火了" is a forest fire, not a house fire), else
   * the first on the retrieved entry's hazard, else the first that matched.
   */
  const leadingRule = (triage: Triage, named: readonly string[], top: KbEntry | undefined): EmergencyRule => {
    const about = top ? index.entryConcepts.get(top.id) : undefined;
    return triage.rules.find((r) => r.concepts.some((c) => named.includes(c)))
      ?? (about && triage.rules.find((r) => r.concepts.some((c) => about.has(c))))
      ?? triage.rules[0]!;
  };

  const emergencyParts = (triage: Triage, rule: EmergencyRule, extra: KbEntry | undefined): string[] => {
    // One rule's steps: a second rule's steps belong to another hazard ("卡住" is not a lift).
    const actions = NEUTRAL_RULES.has(rule.id) ? triager.unclearActions : rule.actions;
    const parts = [s.t('ask.emergency_header', { numbers: triage.numbers.join('、') }), actions.map((a, i) => `${i + 1}. ${a}`).join('\n')];
    if (extra) parts.push(`${s.t('ask.emergency_more')}\n${entryText(extra)}`);
    return parts;
  };

  const notSure = (q: string, m: SearchMatch): { kind: 'gap' | 'unknown'; parts: string[]; related: TopicRef[]; gapSubjects?: string[] } => {
    let gaps = lex ? uncovered(lex, m.concepts, index.coveredConcepts) : [];
    // Each subject has entries, but none about them together ("冷库里的蛇"): still no guidance to give.
    if (lex && !gaps.length && !m.hits.length) gaps = subjects(lex, m.concepts);
    // Close topics by wording alone: offered to look at, not given as the answer.
    const close = m.hits.length ? m.hits : index.search(q, 3, { gate: false });
    const related = close.slice(0, 3).map((h) => ref(h.entry));
    const parts = [gaps.length ? s.t('ask.gap', { subject: gaps.map((c) => c.name).join('、') }) : s.t('ask.unknown')];
    if (related.length) parts.push(`${s.t('ask.close_topics')}\n${related.map((r) => `• ${r.title}`).join('\n')}`);
    parts.push(s.t('ask.hotlines'));
    return gaps.length ? { kind: 'gap', parts, related, gapSubjects: gaps.map((c) => c.name) } : { kind: 'unknown', parts, related };
  };

  const ask = (question: string): Answer => {
    const q = question.trim();
    const triage = triager.triage(q);
    const emergency = triage.rules.length > 0;
    if (!emergency) {
      if (!q) return invalid(question, 'ask.empty');
      if (!hasHan(q)) return invalid(question, /[a-z]{2}/i.test(q) ? 'ask.not_chinese' : 'ask.no_text');
      if ([...q].length > MAX_QUESTION_CHARS) return invalid(question, 'ask.too_long', { max: MAX_QUESTION_CHARS });
    }
    const text = q.slice(0, MAX_QUESTION_CHARS * 2);
    const m = index.match(text, 4);
    const { hits } = m;
    const top = hits[0];
    // An off-topic subject that ranks above every entry wins: no safety answer, and no close topics.
    const off = offTopicWins(m) ? m.offTopic!.topic : undefined;
    // A few characters that name no hazard, thing, place or situation ("双塘村", "塘") share only stray
    // characters with any entry: never a confident answer.
    const named = !lex || m.concepts.length > 0 || countHan(text) > MIN_UNNAMED_CHARS;
    // An entry about a hazard or thing the question never names ("玉峰山的野猪" → the outdoor quake
    // entry, through 山 alone) shares only a place or a situation: it needs a far surer match.
    const offSubject = !!lex && !!top && !namesSubjectOf(lex, m.concepts, index.entryConcepts.get(top.entry.id) ?? new Set());
    const matched = !off && !!top && named && top.score >= (offSubject ? UNNAMED_SUBJECT_THRESHOLD : threshold);
    const score = round(top?.score ?? 0);
    const base = { question, score, emergency };
    if (emergency) {
      const retrieved = matched ? top.entry : undefined;
      const rule = leadingRule(triage, m.concepts, retrieved);
      const extra = emergencyExtra(rule, retrieved);
      return {
        ...base, kind: 'emergency', answer: emergencyParts(triage, rule, extra).join('\n\n'), matched: !!extra,
        sources: extra ? [ref(extra)] : [], related: hits.filter((h) => h.entry !== extra).slice(0, 3).map((h) => ref(h.entry)),
        entry: extra, emergencyRule: rule.id, extra: extra && ref(extra),
      };
    }
    if (matched) {
      const withMore = moreIsAsked(text, top.entry, index);
      const parts = [entryText(top.entry, withMore)];
      if (triage.hypothetical) parts.push(s.t('ask.remember_numbers', { numbers: triage.numbers.join('、') }));
      return {
        ...base, kind: 'answer', answer: parts.join('\n\n'), matched, sources: [ref(top.entry)],
        related: hits.slice(1, 4).map((h) => ref(h.entry)), entry: top.entry, moreAvailable: !!top.entry.more && !withMore,
      };
    }
    if (off) return { ...base, kind: 'off_topic', answer: off.reply, matched: false, sources: [], related: [] };
    const ns = notSure(text, m);
    return { ...base, kind: ns.kind, answer: ns.parts.join('\n\n'), matched: false, sources: [], related: ns.related, gapSubjects: ns.gapSubjects };
  };

  const relatedTo = (e: KbEntry): TopicRef[] => index.search(e.title, 4).filter((h) => h.entry.id !== e.id).slice(0, 3).map((h) => ref(h.entry));
  const answerEntry = (id: string): Answer | undefined => {
    const e = byId.get(id);
    if (!e) return undefined;
    return { question: e.title, kind: 'answer', answer: entryText(e), matched: true, emergency: false, score: 1, sources: [ref(e)], related: relatedTo(e), entry: e, moreAvailable: !!e.more };
  };
  const answerDetail = (id: string): Answer | undefined => {
    const e = byId.get(id);
    if (!e) return undefined;
    return { question: e.title, kind: 'answer', answer: entryText(e, true), matched: true, emergency: false, score: 1, sources: [ref(e)], related: relatedTo(e), entry: e };
  };

  return { ask, answerEntry, answerDetail, threshold };
}

/** The CLI and API contract: exactly these fields, in this order. */
export function toContract(a: Answer) {
  return { question: a.question, answer: a.answer, matched: a.matched, emergency: a.emergency, sources: a.sources, score: a.score };
}
