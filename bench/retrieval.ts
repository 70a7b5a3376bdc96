/**
 * Retrieval quality and speed. Ours vs an off-the-shelf baseline measured in the same run:
 * MiniSearch over the same entries with a plain character-bigram tokenizer.
 */
import MiniSearch from 'minisearch';
import { loadContent } from '../core/content/load-content.ts';
import { createAnswerer } from '../core/knowledge/answer.ts';
import type { KbEntry } from '../core/knowledge/kb-entry.ts';
import { createSearchIndex } from '../core/knowledge/search-index.ts';
import { loadDevSet, percentile, round, writeResult, type DevSet } from './support.ts';

const CONTENT = new URL('../content', import.meta.url).pathname;

function bigrams(text: string): string[] {
  const chars = [...text.replace(/[\s\p{P}\p{S}]/gu, '')];
  if (chars.length < 2) return chars;
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]!);
}

function baseline(entries: readonly KbEntry[]) {
  const ms = new MiniSearch({
    fields: ['title', 'questions', 'tags', 'answer'],
    storeFields: ['id'],
    tokenize: bigrams,
    searchOptions: { boost: { title: 3, questions: 3, tags: 2 } },
  });
  ms.addAll(entries.map((e) => ({ id: e.id, title: e.title, questions: e.questions.join('\n'), tags: e.tags.join(' '), answer: e.answer })));
  return (q: string): string | undefined => ms.search(q)[0]?.id as string | undefined;
}

function accuracy(dev: DevSet, top1: (q: string) => string | undefined) {
  const hits = dev.inScope.filter((d) => d.ids.includes(top1(d.q) ?? '')).length;
  const rejected = dev.outOfScope.filter((q) => top1(q) === undefined).length;
  return { top1: round(hits / dev.inScope.length), outOfScopeRejection: round(rejected / dev.outOfScope.length) };
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
  const dev = loadDevSet();
  const { answerer } = content.kb;

  const ours = accuracy(dev, (q) => {
    const a = answerer.ask(q);
    return a.matched ? a.entry?.id : undefined;
  });
  const emergencyRecall = round(
    dev.emergency.filter((e) => {
      const a = answerer.ask(e.q);
      const first = a.answer.split('\n')[0] ?? '';
      return a.emergency && e.numbers.some((n) => first.includes(n));
    }).length / dev.emergency.length,
  );
  const base = accuracy(dev, baseline(content.kb.entries));
  // Ranking alone (no confidence threshold), the like-for-like comparison with the baseline, which has none.
  const oursRankOnly = accuracy(dev, (q) => content.kb.index.search(q, 1)[0]?.entry.id);
  // Offered as a close-topic button when not confident: how often the right entry is among them.
  const inCloseTopics = round(dev.inScope.filter((d) => content.kb.index.search(d.q, 3).some((h) => d.ids.includes(h.entry.id))).length / dev.inScope.length);
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

  const result = {
    devSet: { inScope: dev.inScope.length, outOfScope: dev.outOfScope.length, emergency: dev.emergency.length },
    entries: content.kb.entries.length,
    threshold: answerer.threshold,
    ours: { ...ours, emergencyRecall, rankOnlyTop1: oursRankOnly.top1, rightEntryInTop3: inCloseTopics },
    baseline: { name: 'MiniSearch 7, character bigrams, same fields and boosts', ...base },
    top1AdvantagePoints: round((ours.top1 - base.top1) * 100, 1),
    rankOnlyAdvantagePoints: round((oursRankOnly.top1 - base.top1) * 100, 1),
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
