import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLimiter } from '../../jobs/send-limiter.ts';
import { createRedisLimiter } from '../../jobs/redis-send-limiter.ts';
import { cleanPrefix, randomPrefix, requireRedis } from '../support/redis.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** Most sends inside any `windowMs` window. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('memory send limiter (fake timers)', () => {
  it('paces sends at the configured rate, one chat at most every 1.1 s, a group at most 20 a minute', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const limiter = createMemoryLimiter({ perSecond: 25 });
    const at: number[] = [];
    const acquireAll = async (chats: number[]): Promise<number[]> => {
      const times: number[] = [];
      for (const c of chats) {
        await limiter.acquire(c);
        times.push(Date.now());
      }
      return times;
    };
    const run = acquireAll(Array.from({ length: 100 }, (_, i) => i + 1));
    await vi.advanceTimersByTimeAsync(10_000);
    at.push(...(await run));
    // 25/s on average; a window may hold the 3 catch-up slots more, never near Telegram's 30.
    expect(maxInWindow(at, 1000)).toBeLessThanOrEqual(28);
    expect(at.at(-1)! - at[0]!).toBeGreaterThanOrEqual((99 - 3) * 40 - 1);

    const sameChat = acquireAll([5, 5, 5]);
    await vi.advanceTimersByTimeAsync(5000);
    const t = await sameChat;
    expect(t[1]! - t[0]!).toBeGreaterThanOrEqual(1100);
    expect(t[2]! - t[1]!).toBeGreaterThanOrEqual(1100);

    const group = acquireAll(Array.from({ length: 21 }, () => -100123));
    await vi.advanceTimersByTimeAsync(120_000);
    const g = await group;
    expect(g[20]! - g[0]!).toBeGreaterThanOrEqual(60_000);
  });

  it('after a 429 nobody sends until retry_after has passed; urgent senders go first', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const limiter = createMemoryLimiter({ perSecond: 25 });
    await limiter.acquire(1);
    const t0 = Date.now();
    await limiter.pause(3000);
    const next = limiter.acquire(2).then(() => Date.now());
    await vi.advanceTimersByTimeAsync(4000);
    expect((await next) - t0).toBeGreaterThanOrEqual(3000);

    const release = await limiter.holdUrgent();
    const order: string[] = [];
    const ordinary = limiter.acquire(3).then(() => order.push('ordinary'));
    const urgent = (async () => {
      for (let i = 0; i < 3; i++) {
        await limiter.acquire(10 + i, { urgent: true });
        order.push('urgent');
      }
      await release();
    })();
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all([ordinary, urgent]);
    expect(order).toEqual(['urgent', 'urgent', 'urgent', 'ordinary']);
  });

  it('stops waiting when the worker shuts down', async () => {
    const limiter = createMemoryLimiter({ perSecond: 25 });
    await limiter.acquire(1);
    const stop = new AbortController();
    const waiting = limiter.acquire(1, { signal: stop.signal }); // the same chat: 1.1 s to wait
    stop.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('Redis send limiter (real Redis)', () => {
  it('two worker processes sharing one Redis stay under the overall rate together', async () => {
    const redis = await requireRedis();
    const prefix = randomPrefix();
    try {
      const a = createRedisLimiter(redis, prefix, { perSecond: 25 });
      const b = createRedisLimiter(redis, prefix, { perSecond: 25 });
      const times: number[] = [];
      const run = async (limiter: typeof a, base: number): Promise<void> => {
        for (let i = 0; i < 30; i++) {
          await limiter.acquire(base + i);
          times.push(Date.now());
        }
      };
      await Promise.all([run(a, 1000), run(b, 2000)]);
      expect(times).toHaveLength(60);
      expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(29); // 25 + 3 catch-up slots + clock jitter
      expect(times.at(-1)! - Math.min(...times)).toBeGreaterThanOrEqual((59 - 3) * 40 - 50);
    } finally {
      await cleanPrefix(redis, prefix);
      redis.disconnect();
    }
  });
});
