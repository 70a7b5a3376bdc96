import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderPlain } from '../../core/render/plain.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import { realContent } from '../support/content.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { findUnsureQuestion } from '../support/llm.ts';

const CHAT = 7001;
const { answerer } = realContent().kb;
const unsure = findUnsureQuestion();
let h: BotHarness;
let ai: FakeOpenAi;

beforeEach(async () => {
  ai = await startFakeOpenAi();
});
afterEach(async () => {
  await h?.stop();
  await ai.close();
});

describe('the bot with a model configured (fake OpenAI-compatible server)', () => {
  it('an unsure question is answered with the curated entry the model picked, with its source', async () => {
    let picked = '';
    ai.onChat((req) => {
      picked = (req.data.candidates as { id: string }[]).find((c) => unsure.ids.includes(c.id))!.id;
      return { json: { id: picked } };
    });
    h = await startBotHarness(ai.env());
    h.api.sendText(CHAT, unsure.q);
    const m = await h.api.waitFor((s) => s.chat_id === CHAT);
    expect(m.plain_text).toContain(`来源：${answerer.answerEntry(picked)!.entry!.source}`);
    expect(m.plain_text).not.toContain('没有把握');
    expect(ai.chatRequests()).toHaveLength(1);
    expect(h.app.deps.metrics.render()).toMatch(/pingan_llm_assist_total\{outcome="changed"\} 1/);
  });

  it('when the model fails the resident gets exactly the offline reply', async () => {
    ai.onChat(() => ({ status: 500 }));
    h = await startBotHarness(ai.env());
    h.api.sendText(CHAT, unsure.q);
    const m = await h.api.waitFor((s) => s.chat_id === CHAT);
    expect(m.plain_text).toContain('没有把握');
    expect(m.plain_text).toContain(renderPlain(answerer.ask(unsure.q).answer).split('\n')[0]!);
    expect(ai.chatRequests().length).toBeGreaterThanOrEqual(1);
  });

  it('a confident question and an emergency never reach the model', async () => {
    h = await startBotHarness(ai.env());
    h.api.sendText(CHAT, '电动车能在楼道里充电吗');
    await h.api.waitFor((s) => s.chat_id === CHAT && (s.plain_text ?? '').includes('来源：'));
    h.api.sendText(CHAT + 1, '屋头着火了 快来人');
    const m = await h.api.waitFor((s) => s.chat_id === CHAT + 1);
    expect((m.plain_text ?? '').split('\n')[0]).toContain('119');
    expect(ai.requests).toHaveLength(0);
  });
});
