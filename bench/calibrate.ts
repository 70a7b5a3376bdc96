/**
 * Fits the confidence model (core/knowledge/confidence.ts) on the tuning sets (TUNING_SETS: the dev
 * set and the holdouts by further writers: more out-of-scope questions than one writer thinks of) and
 * picks the threshold: the lowest that still rejects at least 95% of each writer's out-of-scope
 * questions. Prints both to paste into the code; the retrieval bench then checks them on the newest
 * holdout, written separately and never tuned on.
 */
import { loadContent } from '../core/content/load-content.ts';
import { offTopicWins } from '../core/knowledge/search-index.ts';
import { fitConfidenceModel, confidenceOf, OFF_TOPIC_GAP_CAP, type ConfidenceInputs, type ConfidenceModel } from '../core/knowledge/confidence.ts';
import { countHan } from '../core/knowledge/tokenize.ts';
import { loadQuestionSet, round, TUNING_SETS, writeResult } from './support.ts';

const CONTENT = new URL('../content', import.meta.url).pathname;
const MIN_REJECTION = 0.95;

export function runCalibration(): Record<string, unknown> {
  const { kb } = loadContent(CONTENT);
  const sets = TUNING_SETS.map(loadQuestionSet);
  // Questions an off-topic subject wins are turned away before the confidence is read: not samples.
  const inputs = (q: string): { x: ConfidenceInputs; id: string } | undefined => {
    const m = kb.index.match(q, 1);
    const { hits, offTopic } = m;
    const top = hits[0];
    if (!top || offTopicWins(m)) return undefined;
    const offTopicGap = offTopic ? top.rank - offTopic.rank : OFF_TOPIC_GAP_CAP;
    return { x: { lexical: top.features.lexical, unknown: top.features.unknown, chars: countHan(q), offTopicGap, service: top.features.service, concept: top.features.concept }, id: top.entry.id };
  };
  const inScope = sets.flatMap((s) => s.inScope).map((d) => ({ m: inputs(d.q), ids: d.ids }));
  const perWriter = sets.map((s) => s.outOfScope.map((q) => inputs(q)));
  const outOfScope = perWriter.flat();
  const samples = [
    ...inScope.filter((s) => s.m).map((s) => ({ x: s.m!.x, y: (s.ids.includes(s.m!.id) ? 1 : 0) as 0 | 1 })),
    ...outOfScope.filter((m) => m).map((m) => ({ x: m!.x, y: 0 as const })),
  ];
  const model = fitConfidenceModel(samples);
  const p = (m: { x: ConfidenceInputs } | undefined, M: ConfidenceModel): number => (m ? confidenceOf(M, m.x) : 0);
  const candidates = [...new Set(samples.map((s) => round(confidenceOf(model, s.x), 3)))].sort((a, b) => a - b);
  const rejection = (t: number, of = outOfScope): number => of.filter((m) => p(m, model) < t).length / of.length;
  // Each writer's set must reach the target on its own, not the pool on average: one writer's easy
  // questions hid another's hard ones, and unseen writers behaved like the hardest (holdout-5: 84%).
  const threshold = candidates.find((t) => perWriter.every((of) => rejection(t, of) >= MIN_REJECTION)) ?? 1;
  const answeredCorrect = inScope.filter((s) => s.m && s.ids.includes(s.m.id) && p(s.m, model) >= threshold).length / inScope.length;
  const result = { model, threshold, fittedOn: TUNING_SETS, dev: { answeredCorrect: round(answeredCorrect), outOfScopeRejection: round(rejection(threshold)) }, samples: samples.length };
  writeResult('calibrate', result);
  return result;
}
