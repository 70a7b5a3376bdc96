/**
 * `npm run bench -- send`: the one send path under Telegram's limits (issue 13), in one run:
 * - 50 people each asking 5 questions within 2 s, with 5 emergencies among them, while a broadcast
 *   fan-out runs on the same limiter; against the same questions with no fan-out (the baseline):
 *   share delivered, p50/p99 time to answer, p99 time to an emergency reply, sends inside a 429;
 * - the time to an emergency reply while Redis hangs, against the same with Redis answering.
 */
import { runInSendScope } from '../core/send/send-context.ts';
import { startBotHarness, type BotHarness } from '../test/support/bot-harness.ts';
import { cleanPrefix, randomPrefix, requireRedis, TEST_REDIS_URL } from '../test/support/redis.ts';
import { startTcpProxy } from '../test/support/tcp-proxy.ts';
import { round, writeResult } from './support.ts';

const QUESTIONS = ['灭火器怎么用', '电动车能在楼道充电吗', '燃气热水器能装在卫生间吗', '暴雨天开车要注意什么', '被狗咬了怎么处理伤口'];
const PEOPLE = 50;
const FIRST_CHAT = 90_000;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]! : NaN;
};

async function askingCrowd(withFanout: boolean): Promise<Record<string, number>> {
  const h = await startBotHarness({}, {}, { realLimits: true });
  h.api.enforceLimits();
  const stop = new AbortController();
  let fanoutSent = 0;
  const fanout = withFanout ? (async () => {
    for (let i = 0; i < 2000 && !stop.signal.aborted; i++) {
      const chat = 500_000 + i;
      await h.app.sendLimiter.acquire(chat, { signal: stop.signal }).catch(() => undefined);
      if (stop.signal.aborted) break;
      await runInSendScope({ priority: 'bulk', selfPaced: true }, () => h.bot.telegram.sendMessage(chat, '今日安全广播')).then(() => fanoutSent++, () => undefined);
    }
  })() : Promise.resolve();
  await new Promise((r) => setTimeout(r, withFanout ? 1000 : 0));
  const asked = new Map<number, number[]>();
  const emergencyChats = new Set<number>();
  const started = Date.now();
  for (let q = 0; q < QUESTIONS.length; q++) {
    for (let p = 0; p < PEOPLE; p++) {
      const chat = FIRST_CHAT + p;
      h.api.sendText(chat, QUESTIONS[q]!);
      asked.set(chat, [...(asked.get(chat) ?? []), Date.now()]);
      // Five people in an emergency write in the middle of the crowd (and of the fan-out).
      if (q === 2 && p % 10 === 0) {
        const e = FIRST_CHAT + PEOPLE + p / 10;
        emergencyChats.add(e);
        h.api.sendText(e, '着火了 楼下冒烟了');
        asked.set(e, [Date.now()]);
      }
      await new Promise((r) => setTimeout(r, Math.floor(2000 / (PEOPLE * QUESTIONS.length))));
    }
  }
  const expected = PEOPLE * QUESTIONS.length + emergencyChats.size;
  const replies = (): number => h.api.sent.filter((m) => Number(m.chat_id) >= FIRST_CHAT && Number(m.chat_id) < FIRST_CHAT + PEOPLE + 10).length;
  const deadline = Date.now() + 60_000;
  while (replies() < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  stop.abort();
  await fanout;
  const times: number[] = [];
  const emergencyTimes: number[] = [];
  for (const [chat, sentAt] of asked) {
    const arrivals = h.api.calls.filter((c) => c.method === 'sendMessage' && c.ok && Number(c.params.chat_id) === chat).map((c) => c.at);
    sentAt.forEach((t, i) => {
      const at = arrivals[i];
      if (at === undefined) return;
      (emergencyChats.has(chat) ? emergencyTimes : times).push(at - t);
    });
  }
  const out = {
    delivered: round(replies() / expected), p50Ms: pct(times, 50), p99Ms: pct(times, 99), emergencyP99Ms: pct(emergencyTimes, 99),
    violations: h.api.violations, fanoutSent, seconds: round((Date.now() - started) / 1000, 1),
  };
  await h.stop();
  return out;
}

async function emergencyTime(h: BotHarness, chat: number): Promise<number> {
  const t = Date.now();
  h.api.sendText(chat, '着火了');
  await h.api.waitFor((m) => Number(m.chat_id) === chat, 30_000);
  return Date.now() - t;
}

async function redisOutage(): Promise<Record<string, number>> {
  const redis = await requireRedis();
  const prefix = randomPrefix();
  const url = new URL(TEST_REDIS_URL);
  const proxy = await startTcpProxy(Number(url.port || 6379), url.hostname);
  const h = await startBotHarness({ REDIS_URL: `redis://127.0.0.1:${proxy.port}`, REDIS_PREFIX: prefix }, {}, { realLimits: true });
  try {
    await emergencyTime(h, 1); // warm-up
    const healthy: number[] = [];
    for (let i = 0; i < 5; i++) healthy.push(await emergencyTime(h, 100 + i));
    proxy.freeze();
    const down: number[] = [];
    for (let i = 0; i < 5; i++) down.push(await emergencyTime(h, 200 + i));
    proxy.thaw();
    const median = (xs: number[]) => pct(xs, 50);
    return { healthyMedianMs: median(healthy), redisDownMedianMs: median(down), redisDownMaxMs: Math.max(...down), ratio: round(median(down) / Math.max(1, median(healthy)), 1) };
  } finally {
    await h.stop();
    await proxy.close();
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
}

export async function runSendPathBench(): Promise<Record<string, unknown>> {
  const baseline = await askingCrowd(false);
  const duringFanout = await askingCrowd(true);
  const outage = await redisOutage();
  const result = {
    crowd: { baseline, duringFanout, p99Ratio: round(duringFanout.p99Ms! / Math.max(1, baseline.p99Ms!), 2) },
    emergencyWithRedisDown: outage,
  };
  writeResult('send-path', result);
  return result;
}
