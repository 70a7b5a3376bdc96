import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAssistedAnswerer, DEFAULT_ASSIST_OPTIONS } from '../../../core/llm/assisted-answerer.ts';
import { createOfflineLlm } from '../../../core/llm/llm.ts';
import { redactPersonalData } from '../../../core/llm/redact.ts';
import { loadDevSet } from '../../../bench/support.ts';
import { realContent } from '../../support/content.ts';
import { startFakeOpenAi, type FakeChatRequest, type FakeOpenAi } from '../../support/fake-openai.ts';
import { findUnsureQuestion, llmFor } from '../../support/llm.ts';

const content = realContent();
const { answerer, index } = content.kb;
const dev = loadDevSet();
const floor = answerer.threshold * DEFAULT_ASSIST_OPTIONS.floorRatio;

// Fixtures are picked from the dev set by their retrieval properties (see findUnsureQuestion).
const unsure = findUnsureQuestion();
const close = dev.inScope.find((d) => {
  const a = answerer.ask(d.q);
  const [top, second] = index.search(d.q, 5);
  return a.matched && !a.emergency && !!top && !!second && top.features.lexical - second.features.lexical <= DEFAULT_ASSIST_OPTIONS.closeMargin;
})!;
const CONFIDENT = '电动车能在楼道里充电吗';
const candidateIds = (req: FakeChatRequest | undefined): string[] => (req?.data?.candidates ?? []).map((c: { id: string }) => c.id);

let ai: FakeOpenAi;
beforeEach(async () => {
  ai = await startFakeOpenAi();
});
afterEach(async () => ai.close());

function assisted(guard = {}) {
  const t = llmFor(ai, { guard: { maxRetries: 0, ...guard } });
  return createAssistedAnswerer({ kb: content.kb, strings: content.strings, llm: t.llm });
}

describe('the model helps only where retrieval is unsure', () => {
  it('fixtures exist in the dev set', () => {
    expect(unsure, 'an in-scope question below the threshold with its entry among the candidates').toBeDefined();
    expect(close, 'a matched question whose top two candidates are close').toBeDefined();
  });

  it('an unsure question gets the curated answer of the entry the model picks, with its source', async () => {
    ai.onChat((req) => ({ json: { id: candidateIds(req).find((id) => unsure.ids.includes(id)) } }));
    const a = assisted();
    const answer = await a.ask(unsure.q);
    const [req] = ai.chatRequests();
    expect(req!.data.question).toBe(redactPersonalData(unsure.q.trim()));
    expect(req!.data.candidates[0]).toEqual(expect.objectContaining({ id: expect.any(String), title: expect.any(String), questions: expect.any(Array) }));
    expect(answer.matched).toBe(true);
    expect(unsure.ids).toContain(answer.entry?.id);
    expect(answer.answer).toBe(answerer.answerEntry(answer.entry!.id)!.answer);
    expect(answer.answer).toContain('来源：');
    expect(answer.question).toBe(unsure.q);
    expect(a.stats()).toEqual({ asked: 1, reachedModel: 1, changed: 1, fallbacks: 0 });
  });

  it('a confident question, an emergency and an invalid message never reach the model', async () => {
    const a = assisted();
    for (const q of [CONFIDENT, '着火了 快来人', '', 'hello']) expect(await a.ask(q)).toEqual(answerer.ask(q));
    expect(ai.requests).toHaveLength(0);
    expect(a.stats().reachedModel).toBe(0);
  });

  it('a matched question with a close runner-up is checked; "none" turns it into the honest "not sure" reply', async () => {
    ai.onChat(() => ({ json: { id: 'none' } }));
    const answer = await assisted().ask(close.q);
    expect(ai.chatRequests()).toHaveLength(1);
    expect(answer.matched).toBe(false);
    expect(answer.kind).toBe('unknown');
    expect(answer.answer).toContain('没有把握');
    expect(answer.answer).toContain('12350');
    expect(answer.related.length).toBeGreaterThan(0);
  });

  it.each([
    ['an id that was not offered', { json: { id: 'fire-oil-pan-but-invented' } }],
    ['a real entry id that was not among the candidates', { json: { id: '__not_offered__' } }],
    ['malformed output', { content: '我觉得是第二个' }],
    ['the wrong shape', { json: { answer: '油锅起火要盖锅盖' } }],
    ['a server error', { status: 500 }],
    ['a rate limit', { status: 429 }],
  ] as const)('%s gives exactly the offline answer', async (_name, reply) => {
    ai.onChat((req) => {
      if ('json' in reply && (reply.json as { id?: string }).id === '__not_offered__') {
        const offered = new Set(candidateIds(req));
        return { json: { id: index.entries.find((e) => !offered.has(e.id))!.id } };
      }
      return reply;
    });
    const a = assisted();
    expect(await a.ask(unsure.q)).toEqual(answerer.ask(unsure.q));
    expect(a.stats()).toMatchObject({ reachedModel: 1, changed: 0, fallbacks: 1 });
  });

  it('a model slower than the deadline gives exactly the offline answer', async () => {
    ai.onChat(() => ({ hang: true }));
    const a = assisted({ timeoutMs: 100 });
    expect(await a.ask(unsure.q)).toEqual(answerer.ask(unsure.q));
    expect(a.stats().fallbacks).toBe(1);
  });

  it('an off-topic question far below the threshold is not sent at all', async () => {
    const far = dev.outOfScope.find((q) => {
      const top = index.search(q, 1)[0];
      return !!top && top.score < floor && answerer.ask(q).kind === 'unknown';
    })!;
    const a = assisted();
    expect(await a.ask(far)).toEqual(answerer.ask(far));
    expect(ai.requests).toHaveLength(0);
  });

  it('with no model configured it is the offline answerer', async () => {
    const a = createAssistedAnswerer({ kb: content.kb, strings: content.strings, llm: createOfflineLlm() });
    for (const q of [unsure.q, close.q, CONFIDENT]) expect(await a.ask(q)).toEqual(answerer.ask(q));
    expect(ai.requests).toHaveLength(0);
  });

  it('phone numbers in a question are removed before it is sent', async () => {
    ai.onChat(() => ({ json: { id: 'none' } }));
    const withPhone = findUnsureQuestion(' 我电话13812345678');
    await assisted().ask(`${withPhone.q} 我电话13812345678`);
    expect(ai.chatRequests()[0]!.user).not.toContain('13812345678');
  });
});
