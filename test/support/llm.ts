import OpenAI from 'openai';
import { createGuardedLlm, type GuardOptions } from '../../core/llm/guarded-llm.ts';
import type { Llm } from '../../core/llm/llm.ts';
import { createOpenAiTransport } from '../../core/llm/openai-transport.ts';
import { createMemoryUsageStore, createTokenBudget, type LlmUsageStore } from '../../core/llm/token-budget.ts';
import type { FakeOpenAi } from './fake-openai.ts';
import { DEFAULT_ASSIST_OPTIONS } from '../../core/llm/assisted-answerer.ts';
import { loadDevSet } from '../../bench/support.ts';
import { realContent } from './content.ts';

export interface TestLlm {
  readonly llm: Llm;
  readonly usage: LlmUsageStore;
  /** Staff notices sent through the notifyStaff callback. */
  readonly notices: string[];
  /** Backoff waits the guard asked for, in ms (the wait itself is skipped). */
  readonly waits: number[];
  /** Moves the guard's clock, e.g. past the breaker's cooldown. */
  advance(ms: number): void;
}

/**
 * The real openai client and guard pointed at the fake server, with a memory budget and a clock the
 * test controls. Backoff waits are recorded and skipped, so retry tests never sleep.
 */
export function llmFor(fake: FakeOpenAi, o: { guard?: Partial<GuardOptions>; dailyTokens?: number; embeddings?: boolean } = {}): TestLlm {
  let offset = 0;
  const now = (): number => Date.now() + offset;
  const usage = createMemoryUsageStore();
  const notices: string[] = [];
  const waits: number[] = [];
  const client = new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 });
  const budget = createTokenBudget({
    store: usage,
    dailyTokens: o.dailyTokens ?? 1_000_000,
    timezone: 'Asia/Shanghai',
    now,
    onExhausted: (day, used) => void notices.push(`budget ${day} ${used}`),
  });
  const llm = createGuardedLlm({
    transport: createOpenAiTransport(client, { model: 'fake-chat', embeddingModel: o.embeddings ? 'fake-embed' : undefined }),
    capabilities: { chat: true, embeddings: !!o.embeddings },
    budget,
    now,
    sleep: async (ms) => void waits.push(ms),
    options: { timeoutMs: 2000, ...o.guard },
  });
  return { llm, usage, notices, waits, advance: (ms) => void (offset += ms) };
}

/**
 * An in-scope dev-set question retrieval is unsure about (below the threshold, above the floor) with
 * its right entry among the candidates. Picked by property, so retrieval tuning cannot silently turn
 * a test about unsure questions into one about confident ones.
 */
/** `suffix`: the question must stay unsure with it appended (a test that adds a phone number to it). */
export function findUnsureQuestion(suffix = ''): { q: string; ids: string[] } {
  const { answerer, index } = realContent().kb;
  const floor = answerer.threshold * DEFAULT_ASSIST_OPTIONS.floorRatio;
  const found = loadDevSet().inScope.find((d) => {
    const a = answerer.ask(d.q + suffix);
    const hits = index.search(d.q + suffix, DEFAULT_ASSIST_OPTIONS.candidates);
    return a.kind === 'unknown' && !a.emergency && (hits[0]?.score ?? 0) >= floor && hits.some((h) => d.ids.includes(h.entry.id));
  });
  if (!found) throw new Error('no unsure in-scope question in the dev set');
  return found;
}
