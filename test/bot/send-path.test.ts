import { afterEach, describe, expect, it } from 'vitest';
import { createFloodControl } from '../../core/rate/flood-control.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import type { SentMessage } from '../support/fake-bot-api.ts';
import { cleanPrefix, randomPrefix, requireRedis, TEST_REDIS_URL } from '../support/redis.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

// Every reply goes through the one send path (jobs/send-path.ts), against the strict fake Bot API
// with Telegram's limits enforced: the faults the issue measured from outside, one by one.
const CHAT = 7001;
let h: BotHarness | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
  await proxy?.close();
  proxy = undefined;
});

const isAnswer = (chat: number) => (m: SentMessage): boolean => m.chat_id === chat && (m.plain_text ?? '').includes('来源：');
const apologies = (): SentMessage[] => h!.api.sent.filter((m) => (m.plain_text ?? '').includes('出了点问题'));

async function start(env: Record<string, string> = {}, flood = createFloodControl()): Promise<BotHarness> {
  h = await startBotHarness(env, { flood }, { realLimits: true, requestTimeoutMs: 1000 });
  h.api.enforceLimits();
  return h;
}

describe('the send path', () => {
  it('a 429 on the first reply is waited out (retry_after) and the answer arrives, with no apology', async () => {
    await start();
    h!.api.rateLimit({ chatId: CHAT, retryAfter: 1, times: 1 });
    h!.api.sendText(CHAT, '灭火器怎么用');
    await h!.api.waitFor(isAnswer(CHAT), 8000);
    expect(h!.api.calls.filter((c) => c.method === 'sendMessage' && c.status === 429)).toHaveLength(1);
    expect(apologies()).toHaveLength(0);
  });

  it('a 502 and a reset connection on the first reply are retried and the answers arrive', async () => {
    await start();
    h!.api.injectError({ method: 'sendMessage', chatId: CHAT, errorCode: 502, description: 'Bad Gateway' });
    h!.api.sendText(CHAT, '灭火器怎么用');
    await h!.api.waitFor(isAnswer(CHAT), 8000);
    h!.api.injectFault({ method: 'sendMessage', chatId: CHAT + 1, kind: 'reset' });
    h!.api.sendText(CHAT + 1, '油锅起火了用什么盖');
    await h!.api.waitFor(isAnswer(CHAT + 1), 8000);
    expect(apologies()).toHaveLength(0);
  });

  it('a hung request is abandoned and retried, and nobody else waits for it', async () => {
    await start();
    h!.api.injectFault({ method: 'sendMessage', chatId: CHAT, kind: 'hang', ms: 35_000 });
    h!.api.sendText(CHAT, '灭火器怎么用');
    await h!.api.waitForCalls(1, (c) => c.method === 'sendMessage' && c.description === 'hanging (injected)');
    h!.api.sendText(CHAT + 1, '着火了');
    const other = await h!.api.waitFor((m) => m.chat_id === CHAT + 1, 5000);
    expect(other.plain_text).toContain('119');
    // The hung chat's answer comes after the request timeout (1 s here), on the retry.
    expect(h!.api.messagesTo(CHAT)).toHaveLength(0);
    await h!.api.waitFor(isAnswer(CHAT), 8000);
    expect(h!.api.messagesTo(CHAT).filter(isAnswer(CHAT))).toHaveLength(1);
  });

  it('ten people asking five questions each, quickly: every answer arrives, none into a 429', async () => {
    await start();
    const questions = ['灭火器怎么用', '电动车能在楼道充电吗', '燃气热水器能装在卫生间吗', '暴雨天开车要注意什么', '被狗咬了怎么处理伤口'];
    for (let p = 0; p < 10; p++) for (const q of questions) h!.api.sendText(CHAT + 100 + p, q);
    await h!.api.waitForCalls(50, (c) => c.method === 'sendMessage' && c.status === 200, 30_000);
    for (let p = 0; p < 10; p++) expect(h!.api.messagesTo(CHAT + 100 + p)).toHaveLength(5);
    expect(h!.api.violations).toBe(0);
  }, 40_000);

  it('a 400 is not retried: it is logged, recorded for staff, and not replaced by an apology', async () => {
    await start();
    h!.api.injectError({ method: 'sendMessage', chatId: CHAT, errorCode: 400, description: "Bad Request: can't parse entities" });
    h!.api.sendText(CHAT, '灭火器怎么用');
    await h!.api.waitForCalls(1, (c) => c.method === 'sendMessage' && c.status === 400);
    await expect.poll(() => h!.app.undelivered.recent(5), { timeout: 3000 }).toMatchObject([
      { chatId: CHAT, method: 'sendMessage', priority: 'reply', reason: expect.stringContaining('parse entities') },
    ]);
    expect((await h!.app.undelivered.recent(5))[0]?.updateId).toBeGreaterThan(0);
    expect(h!.api.calls.filter((c) => c.method === 'sendMessage' && c.status === 400)).toHaveLength(1);
    expect(apologies()).toHaveLength(0);
  });

  it('an error inside a handler still gets the apology, and the next update works', async () => {
    h = await startBotHarness({}, {});
    const real = h.deps.questionLog;
    let fail = true;
    Object.assign(h.deps, { questionLog: { ...real, record: async (...a: Parameters<typeof real.record>) => { if (fail) { fail = false; throw new Error('disk full'); } return real.record(...a); } } });
    h.api.sendText(CHAT, '灭火器怎么用');
    await h.api.waitFor('出了点问题');
    h.api.sendText(CHAT, '油锅起火怎么办');
    await h.api.waitFor('来源：');
  });

  it('Redis hanging mid-conversation: 着火了 still gets the 119 steps at once', async () => {
    const redis = await requireRedis();
    const prefix = randomPrefix();
    proxy = await startTcpProxy(Number(new URL(TEST_REDIS_URL).port || 6379), new URL(TEST_REDIS_URL).hostname);
    try {
      await start({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: prefix });
      h!.api.sendText(CHAT, '灭火器怎么用');
      await h!.api.waitFor(isAnswer(CHAT), 8000);
      proxy.freeze();
      const asked = Date.now();
      h!.api.sendText(CHAT + 1, '着火了');
      const reply = await h!.api.waitFor((m) => m.chat_id === CHAT + 1, 5000);
      expect(reply.plain_text).toContain('119');
      // Measured in `npm run bench -- send`; here only that it is seconds, not the 30 s handler timeout.
      expect(Date.now() - asked).toBeLessThan(5000);
      proxy.thaw();
    } finally {
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    }
  }, 30_000);

  it('zero-width characters do not hide an emergency', async () => {
    await start();
    h!.api.sendText(CHAT, '着\u200b火\u200b了');
    const reply = await h!.api.waitFor((m) => m.chat_id === CHAT, 5000);
    expect(reply.plain_text).toContain('119');
  });
});
