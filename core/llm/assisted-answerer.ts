import { z } from 'zod';
import type { Strings } from '../content/strings.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { createAnswerer, MAX_QUESTION_CHARS, type Answer, type Answerer } from '../knowledge/answer.ts';
import type { KbEntry } from '../knowledge/kb-entry.ts';
import type { SearchHit, SearchIndex } from '../knowledge/search-index.ts';
import type { Triager } from '../knowledge/triage.ts';
import type { Llm } from './llm.ts';
import { redactPersonalData } from './redact.ts';
import { reciprocalRankFusion, type SemanticIndex } from './semantic-index.ts';

export interface AssistOptions {
  /** Below this fraction of the answerer's threshold a question is treated as off-topic and not sent. */
  readonly floorRatio: number;
  /**
   * A confident answer is still checked when the runner-up's lexical match is within this margin (the
   * lexical scale, not the calibrated confidence, which saturates near 1 for both of two close entries).
   */
  readonly closeMargin: number;
  /** Candidates the model chooses from. */
  readonly candidates: number;
  /** The resident is waiting: past this the offline answer is sent. */
  readonly deadlineMs: number;
}

export const DEFAULT_ASSIST_OPTIONS: AssistOptions = { floorRatio: 0.45, closeMargin: 0.05, candidates: 5, deadlineMs: 5000 };

export type AssistOutcome = 'not_needed' | 'unavailable' | 'kept' | 'changed' | 'fallback';

export interface AssistStats {
  readonly asked: number;
  /** Questions sent to the model at all. */
  readonly reachedModel: number;
  /** The model's choice changed the reply (another entry, an answer instead of "not sure", or the reverse). */
  readonly changed: number;
  /** The model was asked but its reply was unusable (error, timeout, malformed, an id not offered). */
  readonly fallbacks: number;
}

export interface AssistedAnswerer {
  ask(question: string): Promise<Answer>;
  /** Like ask, with what happened, for benchmarks and tests. */
  explain(question: string): Promise<{ answer: Answer; outcome: AssistOutcome; offline: Answer }>;
  stats(): AssistStats;
}

export interface AssistedAnswererDeps {
  readonly kb: { readonly answerer: Answerer; readonly index: SearchIndex; readonly triager: Triager };
  readonly strings: Strings;
  readonly llm: Llm;
  readonly semantic?: SemanticIndex;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly options?: Partial<AssistOptions>;
}

const INSTRUCTIONS =
  'You route questions for the safety question-answering service of the Yubei District Emergency Management ' +
  'Bureau (Chongqing). The data holds `question`, typed by a resident (often colloquial or Chongqing dialect), ' +
  'and `candidates`: curated knowledge-base entries, each with an id, a title and alternate phrasings. ' +
  'Choose the one candidate whose topic answers the question. If none does, or the question is not about ' +
  'safety, choose "none". Never write advice yourself. Reply as {"id": "<a candidate id or none>"}.';

const choiceSchema = z.object({ id: z.string().max(100) });

/**
 * The offline answerer with a model's help where retrieval is unsure: below the threshold (but not
 * hopelessly far), or with the top two candidates close. The model only picks one offered entry id or
 * "none"; the resident then gets that entry's curated answer, never model text. Anything unusable —
 * an id not offered, a malformed reply, a timeout, an error — gives exactly the offline answer.
 */
export function createAssistedAnswerer(deps: AssistedAnswererDeps): AssistedAnswerer {
  const o = { ...DEFAULT_ASSIST_OPTIONS, ...deps.options };
  const { answerer, index, triager } = deps.kb;
  const s = deps.strings;
  // Same index and wording, but never confident: the honest "not sure" reply for a model's "none".
  const unsure = createAnswerer({ index, triager, strings: s, threshold: Number.POSITIVE_INFINITY });
  const byId = new Map(index.entries.map((e) => [e.id, e]));
  const counts = { asked: 0, reachedModel: 0, changed: 0, fallbacks: 0 };
  const log = deps.logger?.child({ component: 'assisted-answer' });

  const needsModel = (offline: Answer, hits: SearchHit[]): boolean => {
    if (offline.kind !== 'answer' && offline.kind !== 'unknown') return false;
    const [top, second] = hits;
    if (!top) return false;
    if (!offline.matched) return top.score >= answerer.threshold * o.floorRatio;
    return !!second && top.features.lexical - second.features.lexical <= o.closeMargin;
  };

  const candidatesFor = async (question: string, hits: SearchHit[]): Promise<KbEntry[]> => {
    const keyword = hits.map((h) => h.entry.id);
    if (!deps.semantic?.ready()) return hits.slice(0, o.candidates).map((h) => h.entry);
    const semantic = (await deps.semantic.search(question, o.candidates * 2, o.deadlineMs / 2)).map((h) => h.entry.id);
    const fused = semantic.length ? reciprocalRankFusion([keyword, semantic]) : keyword;
    return fused.slice(0, o.candidates).map((id) => byId.get(id)).filter((e): e is KbEntry => !!e);
  };

  const chosenAnswer = (question: string, offline: Answer, entry: KbEntry, hits: SearchHit[]): Answer => {
    const base = answerer.answerEntry(entry.id)!;
    const triage = triager.triage(question.trim());
    const text = triage.hypothetical ? `${base.answer}\n\n${s.t('ask.remember_numbers', { numbers: triage.numbers.join('、') })}` : base.answer;
    const related = hits.filter((h) => h.entry.id !== entry.id).slice(0, 3).map((h) => ({ id: h.entry.id, title: h.entry.title }));
    // The score stays retrieval's own confidence: the contract reports what retrieval measured.
    return { ...base, question, answer: text, score: offline.score, related };
  };

  const explain = async (question: string): Promise<{ answer: Answer; outcome: AssistOutcome; offline: Answer }> => {
    counts.asked++;
    const offline = answerer.ask(question);
    const q = question.trim().slice(0, MAX_QUESTION_CHARS);
    const hits = offline.kind === 'answer' || offline.kind === 'unknown' ? index.search(q, Math.max(o.candidates, 4)) : [];
    const result = (answer: Answer, outcome: AssistOutcome) => {
      deps.metrics?.inc('llm_assist_total', { outcome });
      return { answer, outcome, offline };
    };
    if (!needsModel(offline, hits)) return result(offline, 'not_needed');
    if (!deps.llm.can('chat')) return result(offline, 'unavailable');

    counts.reachedModel++;
    const started = Date.now();
    // Only the question leaves the service, stripped of phone numbers and names a resident may have typed.
    const sent = redactPersonalData(q);
    const candidates = await candidatesFor(sent, hits);
    const r = await deps.llm.json({
      purpose: 'choose-entry',
      instructions: INSTRUCTIONS,
      data: { question: sent, candidates: candidates.map((e) => ({ id: e.id, title: e.title, questions: e.questions.slice(0, 4) })) },
      schema: choiceSchema,
      maxTokens: 40,
      // One deadline for the whole detour, embedding the question included: the resident is waiting.
      deadlineMs: Math.max(0, o.deadlineMs - (Date.now() - started)),
    });
    const id = r.ok ? r.value.id.trim() : undefined;
    const chosen = id ? candidates.find((e) => e.id === id) : undefined;
    if (!r.ok || (!chosen && id !== 'none')) {
      counts.fallbacks++;
      log?.info({ reason: r.ok ? 'id_not_offered' : r.reason }, 'model choice unusable; offline answer sent');
      return result(offline, 'fallback');
    }
    let answer = offline; // the model agreed, or said "none" to a question retrieval was not sure of either
    if (chosen && chosen.id !== offline.entry?.id) answer = chosenAnswer(question, offline, chosen, hits);
    else if (!chosen && offline.matched) answer = { ...unsure.ask(question), score: offline.score };
    const changed = answer.matched !== offline.matched || answer.entry?.id !== offline.entry?.id;
    if (changed) {
      counts.changed++;
      log?.info({ from: offline.entry?.id ?? null, to: answer.entry?.id ?? null, score: offline.score }, 'model changed the answer');
    }
    return result(answer, changed ? 'changed' : 'kept');
  };

  return {
    explain,
    ask: async (question) => (await explain(question)).answer,
    stats: () => ({ ...counts }),
  };
}
