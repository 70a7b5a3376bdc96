/**
 * The model path for questions, on the dev set, against the fake OpenAI-compatible server
 * (test/support/fake-openai.ts) through the real openai client and guard. The fake "model" answers by
 * a fixed rule, so the numbers measure the routing, not a real model:
 *
 * - oracle: knows the dev-set labels; picks the first offered candidate that is a right answer, else
 *   "none" (out-of-scope questions always get "none"). The upper bound of what the model path can do.
 * - noisy: the oracle, but for a fixed 20% of questions (chosen by a hash of the question) it is wrong:
 *   an in-scope question gets the first offered wrong candidate, an out-of-scope one the first candidate.
 * - top-candidate: always picks the first candidate, i.e. a model that trusts retrieval blindly.
 * - off: no model (the offline answerer, unchanged).
 *
 * Latency: the fake answers at once, so the added time per model-routed question is our own overhead
 * (HTTP, JSON, validation); a real provider adds its response time on top, capped by the 5 s deadline.
 */
import crypto from 'node:crypto';
import OpenAI from 'openai';
import { loadContent } from '../core/content/load-content.ts';
import type { Answer } from '../core/knowledge/answer.ts';
import { createAssistedAnswerer, DEFAULT_ASSIST_OPTIONS, type AssistOptions } from '../core/llm/assisted-answerer.ts';
import { createGuardedLlm } from '../core/llm/guarded-llm.ts';
import { createOpenAiTransport } from '../core/llm/openai-transport.ts';
import { createMemoryUsageStore, createTokenBudget } from '../core/llm/token-budget.ts';
import { redactPersonalData } from '../core/llm/redact.ts';
import { startFakeOpenAi, type FakeChatRequest } from '../test/support/fake-openai.ts';
import { loadDevSet, percentile, round, writeResult } from './support.ts';

const CONTENT = new URL('../content', import.meta.url).pathname;
type Rule = (req: FakeChatRequest, labels: readonly string[] | undefined) => string;

const offered = (req: FakeChatRequest): string[] => ((req.data?.candidates ?? []) as { id: string }[]).map((c) => c.id);
const oracle: Rule = (req, labels) => offered(req).find((id) => labels?.includes(id)) ?? 'none';
const noisy: Rule = (req, labels) => {
  const wrong = crypto.createHash('md5').update(String(req.data?.question)).digest().readUInt8(0) < 256 * 0.2;
  if (!wrong) return oracle(req, labels);
  return (labels ? offered(req).find((id) => !labels.includes(id)) : offered(req)[0]) ?? 'none';
};
const topCandidate: Rule = (req) => offered(req)[0] ?? 'none';

export async function runLlmAssistBench(): Promise<Record<string, unknown>> {
  const content = loadContent(CONTENT);
  const dev = loadDevSet();
  const labels = new Map(dev.inScope.map((d) => [redactPersonalData(d.q.trim()), d.ids]));
  const ai = await startFakeOpenAi();
  let rule: Rule = oracle;
  ai.onChat((req) => ({ json: { id: rule(req, labels.get(String(req.data?.question))) } }));
  const client = new OpenAI({ apiKey: ai.apiKey, baseURL: ai.baseUrl, maxRetries: 0 });

  const evaluate = async (name: string, r: Rule | undefined, options: Partial<AssistOptions> = {}) => {
    rule = r ?? oracle;
    const budget = createTokenBudget({ store: createMemoryUsageStore(), dailyTokens: 1e9, timezone: 'Asia/Shanghai', now: Date.now, onExhausted: () => undefined });
    const llm = createGuardedLlm({ transport: createOpenAiTransport(client, { model: 'fake' }), capabilities: { chat: !!r, embeddings: false }, budget });
    const assisted = createAssistedAnswerer({ kb: content.kb, strings: content.strings, llm, options });
    const routed: number[] = [];
    const direct: number[] = [];
    const reached = { inScope: 0, outOfScope: 0, emergency: 0 };
    let set: keyof typeof reached = 'inScope';
    const run = async (q: string): Promise<Answer> => {
      const t0 = process.hrtime.bigint();
      const x = await assisted.explain(q);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const wasRouted = x.outcome !== 'not_needed' && x.outcome !== 'unavailable';
      (wasRouted ? routed : direct).push(ms);
      if (wasRouted) reached[set]++;
      return x.answer;
    };
    let correct = 0;
    for (const d of dev.inScope) {
      const a = await run(d.q);
      if (a.matched && d.ids.includes(a.entry?.id ?? '')) correct++;
    }
    let rejected = 0;
    set = 'outOfScope';
    for (const q of dev.outOfScope) if (!(await run(q)).matched) rejected++;
    let emergency = 0;
    set = 'emergency';
    for (const e of dev.emergency) {
      const a = await run(e.q);
      if (a.emergency && e.numbers.some((n) => (a.answer.split('\n')[0] ?? '').includes(n))) emergency++;
    }
    const stats = assisted.stats();
    routed.sort((a, b) => a - b);
    direct.sort((a, b) => a - b);
    return {
      mode: name,
      top1: round(correct / dev.inScope.length),
      outOfScopeRejection: round(rejected / dev.outOfScope.length),
      emergencyRecall: round(emergency / dev.emergency.length),
      reachedModel: stats.reachedModel,
      reachedModelShare: round(stats.reachedModel / stats.asked),
      reachedModelBySet: reached,
      changed: stats.changed,
      fallbacks: stats.fallbacks,
      msPerRoutedQuestion: routed.length ? { p50: round(percentile(routed, 50), 2), p95: round(percentile(routed, 95), 2) } : null,
      msPerOtherQuestion: { p50: round(percentile(direct, 50), 3), p95: round(percentile(direct, 95), 3) },
    };
  };

  try {
    const modes = [
      await evaluate('off', undefined),
      await evaluate('oracle', oracle),
      await evaluate('noisy', noisy),
      await evaluate('top-candidate', topCandidate),
    ];
    // Where to ask: only below the threshold, or also when the top two are close (the default).
    const settings = [
      await evaluate('oracle, below threshold only', oracle, { closeMargin: -Infinity }),
      await evaluate('oracle, no floor (every unsure question)', oracle, { floorRatio: 0 }),
      await evaluate('noisy, higher floor (0.6 of the threshold)', noisy, { floorRatio: 0.6 }),
      await evaluate('top-candidate, higher floor (0.6 of the threshold)', topCandidate, { floorRatio: 0.6 }),
    ];
    const result = {
      devSet: { inScope: dev.inScope.length, outOfScope: dev.outOfScope.length, emergency: dev.emergency.length },
      questions: dev.inScope.length + dev.outOfScope.length + dev.emergency.length,
      threshold: content.kb.answerer.threshold,
      assistOptions: DEFAULT_ASSIST_OPTIONS,
      fakeModel: 'test/support/fake-openai.ts answering by a fixed rule; see the header of bench/llm-assist.ts',
      modes,
      settings,
    };
    writeResult('llm-assist', result);
    return result;
  } finally {
    await ai.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runLlmAssistBench(), null, 2));
