/**
 * Retrieval quality and speed. Ours vs an off-the-shelf baseline measured in the same run:
 * MiniSearch over the same entries with a plain character-bigram tokenizer.
 */
import MiniSearch from 'minisearch';
import { loadContent } from '../core/content/load-content.ts';
import { createAnswerer } from '../core/knowledge/answer.ts';
import type { KbEntry } from '../core/knowledge/kb-entry.ts';
import { createSearchIndex } from '../core/knowledge/search-index.ts';
import { CHECK_SET, EMERGENCY_SETS, loadEmergencySet, loadQuestionSet, percentile, QUESTION_SETS, round, TUNING_SETS, writeResult, type DevSet } from './support.ts';

const CONTENT = new URL('../content', import.meta.url).pathname;

function bigrams(text: string): string[] {
  const chars = [...text.replace(/[\s\p{P}\p{S}]/gu, '')];
  if (chars.length < 2) return chars;
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]!);
}

export type Top1 = (q: string) => { id: string; score: number } | undefined;

export function baseline(entries: readonly KbEntry[]): Top1 {
  const ms = new MiniSearch({
    fields: ['title', 'questions', 'tags', 'answer'],
    storeFields: ['id'],
    tokenize: bigrams,
    searchOptions: { boost: { title: 3, questions: 3, tags: 2 } },
  });
  ms.addAll(entries.map((e) => ({ id: e.id, title: e.title, questions: e.questions.join('\n'), tags: e.tags.join(' '), answer: e.answer })));
  return (q) => {
    const top = ms.search(q)[0];
    return top && { id: top.id as string, score: top.score };
  };
}

/**
 * Answered and correct (the right entry, above the threshold), answered but wrong, and out-of-scope
 * rejection, at one threshold on the system's own score.
 */
function accuracy(set: DevSet, top1: Top1, threshold = -Infinity) {
  const answered = (q: string) => {
    const t = top1(q);
    return t && t.score >= threshold ? t.id : undefined;
  };
  const got = set.inScope.map((d) => ({ d, id: answered(d.q) }));
  const correct = got.filter((g) => g.id && g.d.ids.includes(g.id)).length;
  const wrong = got.filter((g) => g.id && !g.d.ids.includes(g.id)).length;
  const rejected = set.outOfScope.filter((q) => answered(q) === undefined).length;
  return { top1: round(correct / set.inScope.length), answeredWrong: round(wrong / set.inScope.length), outOfScopeRejection: round(rejected / set.outOfScope.length) };
}

/** The baseline's threshold by the same rule as ours (calibrate.ts): 95% rejection on each writer's set. */
export function baselineThreshold(sets: readonly DevSet[], top1: Top1): number {
  return Math.max(...sets.map((set) => {
    const scores = set.outOfScope.map((q) => top1(q)?.score ?? 0).sort((a, b) => a - b);
    return scores[Math.ceil(0.95 * scores.length) - 1]! + 1e-9;
  }));
}

function latency(ask: (q: string) => unknown, questions: string[], rounds: number) {
  for (const q of questions) ask(q); // warm-up
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t0 = process.hrtime.bigint();
      ask(q);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }
  times.sort((a, b) => a - b);
  return { p50ms: round(percentile(times, 50), 4), p99ms: round(percentile(times, 99), 4), samples: times.length };
}

export function runRetrievalBench(): Record<string, unknown> {
  const t0 = performance.now();
  const content = loadContent(CONTENT);
  const firstAnswer = content.kb.answerer.ask('电动车能在楼道充电吗');
  const startupMs = round(performance.now() - t0, 1);
  // Result keys as before: dev, holdout, holdout2 … (the first holdout's file is holdout-set.json).
  const bySet = QUESTION_SETS.map((name) => ({ key: name === 'dev-set' ? 'dev' : name.replace(/-(set)?/, ''), set: loadQuestionSet(name) }));
  const dev = bySet[0]!.set;
  const { answerer } = content.kb;

  const oursTop1: Top1 = (q) => {
    const a = answerer.ask(q);
    return a.matched && a.entry ? { id: a.entry.id, score: a.score } : undefined;
  };
  const rankOnly: Top1 = (q) => {
    const top = content.kb.index.search(q, 1)[0];
    return top && { id: top.entry.id, score: top.score };
  };
  const emergencyRecall = (set: Pick<DevSet, 'emergency'>) => round(
    set.emergency.filter((e) => {
      const a = answerer.ask(e.q);
      const first = a.answer.split('\n')[0] ?? '';
      return a.emergency && e.numbers.some((n) => first.includes(n));
    }).length / set.emergency.length,
  );
  // Offered as a close-topic button when not confident: how often the right entry is among them.
  const inCloseTopics = (set: DevSet) => round(set.inScope.filter((d) => content.kb.index.search(d.q, 3).some((h) => d.ids.includes(h.entry.id))).length / set.inScope.length);
  const base = baseline(content.kb.entries);
  // Both systems are tuned on the same pool (TUNING_SETS, see calibrate.ts).
  const baseThreshold = baselineThreshold(TUNING_SETS.map(loadQuestionSet), base);
  const evaluate = (set: DevSet) => {
    const ours = accuracy(set, oursTop1);
    const baseAt = accuracy(set, base, baseThreshold);
    const oursRank = accuracy(set, rankOnly);
    const baseRank = accuracy(set, base);
    return {
      ours: { ...ours, emergencyRecall: emergencyRecall(set), rankOnlyTop1: oursRank.top1, rightEntryInTop3: inCloseTopics(set) },
      baseline: { ...baseAt, rankOnlyTop1: baseRank.top1 },
      top1AdvantagePoints: round((ours.top1 - baseAt.top1) * 100, 1),
      rankOnlyAdvantagePoints: round((oursRank.top1 - baseRank.top1) * 100, 1),
    };
  };
  const misses = dev.inScope
    .map((d) => ({ q: d.q, want: d.ids, got: answerer.ask(d.q) }))
    .filter((m) => !m.want.includes(m.got.entry?.id ?? ''))
    .map((m) => ({ q: m.q, want: m.want.join('|'), got: m.got.entry?.id ?? null, score: m.got.score }));
  const falseAccepts = dev.outOfScope
    .map((q) => ({ q, a: answerer.ask(q) }))
    .filter((x) => x.a.matched)
    .map((x) => ({ q: x.q, got: x.a.entry?.id, score: x.a.score }));

  const questions = [...dev.inScope.map((d) => d.q), ...dev.outOfScope];
  const at1x = latency(answerer.ask, questions, 20);
  const entries10x = content.kb.entries.flatMap((e) =>
    Array.from({ length: 10 }, (_, i) => (i === 0 ? e : { ...e, id: `${e.id}-r${i}` })),
  );
  const answerer10x = createAnswerer({
    index: createSearchIndex(entries10x, content.kb.normalizer),
    triager: content.kb.triager,
    strings: content.strings,
  });
  const at10x = latency(answerer10x.ask, questions, 5);

  const size = (set: DevSet) => ({ inScope: set.inScope.length, outOfScope: set.outOfScope.length, emergency: set.emergency.length });
  const result = {
    sets: Object.fromEntries(bySet.map(({ key, set }) => [key, size(set)])),
    entries: content.kb.entries.length,
    threshold: answerer.threshold,
    baseline: { name: 'MiniSearch 7, character bigrams, same fields and boosts', threshold: round(baseThreshold, 3) },
    note: `top1 = answered and correct at the threshold; both systems' thresholds were chosen on ${TUNING_SETS.join(', ')} (95% out-of-scope rejection on each); ${CHECK_SET} was written separately and never tuned on.`,
    // One writer each, from the entry titles only (the holdouts: 240 in scope, 100 out of scope each).
    ...Object.fromEntries(bySet.map(({ key, set }) => [key, evaluate(set)])),
    // Emergency-only sets by two more writers; their misses were then fixed, so these now read 100%.
    emergencyRecallExtraSets: Object.fromEntries(
      (['emergency-holdout', 'emergency-check'] as const).map((n) => [n, emergencyRecall(loadQuestionSet(n))]),
    ),
    // The same for three more writers, plus how often calm questions about the same hazards get the
    // emergency header (a false alarm: the curated answer still follows it).
    emergencyFreshSets: Object.fromEntries(
      EMERGENCY_SETS.flatMap((n) => {
        const set = loadEmergencySet(n);
        return set ? [[n, { recall: emergencyRecall(set), calmFlagged: round(set.calm.filter((q) => answerer.ask(q).emergency).length / set.calm.length) }]] : [];
      }),
    ),
    inScopeWithEmergencyHeader: { dev: dev.inScope.filter((d) => answerer.ask(d.q).emergency).length, of: dev.inScope.length },
    latency: { entries1x: content.kb.entries.length, at1x, entries10x: entries10x.length, at10x },
    startupToFirstAnswerMs: startupMs,
    firstAnswerMatched: firstAnswer.matched,
    misses,
    falseAccepts,
  };
  writeResult('retrieval', result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = runRetrievalBench();
  const { misses, falseAccepts, ...summary } = r as { misses: unknown[]; falseAccepts: unknown[] };
  console.log(JSON.stringify(summary, null, 2));
  if (process.argv.includes('--misses')) console.log(JSON.stringify({ misses, falseAccepts }, null, 1));
}
