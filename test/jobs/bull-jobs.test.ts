import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { createBullJobs, RedisUnavailableError } from '../../jobs/bull-jobs.ts';
import { createSchedule } from '../../jobs/schedule.ts';
import { createWorker } from '../../jobs/worker.ts';
import type { Processor, WorkerDeps } from '../../jobs/types.ts';
import { addSubscribers, nextDone } from '../support/broadcast-harness.ts';
import { startBullHarness, type BullHarness } from '../support/bull-harness.ts';
import { CONTENT_DIR, realContent } from '../support/content.ts';
import { cleanPrefix, freePort, randomPrefix, requireRedis, startPrivateRedis, TEST_REDIS_URL, type PrivateRedis } from '../support/redis.ts';

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function workerDeps(jobs: WorkerDeps['jobs']): WorkerDeps {
  return { config: parseConfig({ CONTENT_DIR }), content: realContent(), database: undefined as never, telegram: undefined as never, logger, jobs, now: Date.now };
}

describe('bull jobs (REDIS_URL set)', () => {
  it('runs processors; a second enqueue with the same jobId is a no-op; finished jobs are removed on a schedule', async () => {
    const redis = await requireRedis();
    const prefix = randomPrefix();
    cleanups.push(() => redis.disconnect());
    cleanups.push(() => cleanPrefix(redis, prefix));
    const queue = await createBullJobs({ redisUrl: TEST_REDIS_URL, prefix, logger });
    cleanups.push(() => queue.close());
    const runs: unknown[] = [];
    let ran!: () => void;
    const twoRuns = new Promise<void>((r) => (ran = r));
    const greet: Processor = async (data) => {
      runs.push(data);
      if (runs.length === 2) ran();
    };
    await queue.enqueue('greet', { who: 'a' }, { jobId: 'greet:1' });
    await queue.enqueue('greet', { who: 'b' }, { jobId: 'greet:1' });
    const job = await queue.queue.getJob('greet:1');
    expect(job?.opts).toMatchObject({ removeOnComplete: { age: 7 * 86_400 }, removeOnFail: { age: 30 * 86_400 }, attempts: 3 });
    const worker = createWorker(workerDeps(queue), { queue, processors: { greet } });
    cleanups.push(() => worker.close());
    await worker.start();
    await queue.enqueue('greet', { who: 'c' }, { jobId: 'greet:2' });
    await twoRuns;
    expect(runs).toEqual([{ who: 'a' }, { who: 'c' }]);
  });

  it('a worker refuses to start on a Redis whose maxmemory-policy is not noeviction, saying why', async () => {
    const lru = await startPrivateRedis({ args: ['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru'] });
    cleanups.push(() => lru.stop());
    const queue = await createBullJobs({ redisUrl: lru.url, prefix: randomPrefix(), logger });
    cleanups.push(() => queue.close());
    const worker = createWorker(workerDeps(queue), { queue, processors: {} });
    await expect(worker.start()).rejects.toThrow(/maxmemory-policy is "allkeys-lru".*needs "noeviction"/);
  });

  it('Redis unreachable at start: a clear error naming REDIS_URL', async () => {
    const port = await freePort();
    const err = await createBullJobs({ redisUrl: `redis://127.0.0.1:${port}`, prefix: randomPrefix(), logger }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as Error).message).toMatch(new RegExp(`Redis at REDIS_URL \\(redis://127.0.0.1:${port}\\) is not reachable: .*ECONNREFUSED.*unset REDIS_URL`));
  });
});

describe('Redis down at start, then back', () => {
  let redisServer: PrivateRedis | undefined;
  let b: BullHarness | undefined;
  afterEach(async () => {
    await b?.stop();
    await redisServer?.stop();
    b = redisServer = undefined;
  });

  it('nothing is lost: the day\'s broadcast and an alert confirmed meanwhile both go out once Redis returns', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    await expect(createBullJobs({ redisUrl: url, prefix: randomPrefix(), logger })).rejects.toThrow(/not reachable/);

    redisServer = await startPrivateRedis({ port });
    b = await startBullHarness({ redisUrl: url });
    const ids = await addSubscribers(b.repos, 5, { firstId: 930_001, role: 'resident' });
    // What the bot stored while the queue was unreachable: the alert row (its enqueue had failed).
    await b.repos.store.createAlert(b.today, '山洪预警：请沿河群众注意避险。', 1);
    await b.worker();
    const daily = nextDone(b.events, 'broadcast');
    const alert = nextDone(b.events, 'broadcast-alert');
    const queue = await b.queue();
    const schedule = createSchedule({ config: b.config, jobs: queue, store: b.repos.store, logger, now: b.clock });
    cleanups.push(() => schedule.stop());
    await schedule.start(); // 07:00 in Shanghai: catch-up for the day, recovery for the alert
    await Promise.all([daily, alert]);
    for (const id of ids) {
      const texts = b.api.messagesTo(id).map((m) => m.plain_text ?? '');
      expect(texts).toHaveLength(2);
      expect(texts.filter((t) => t.includes('山洪预警'))).toHaveLength(1);
      expect(texts.filter((t) => t.includes('每日安全提示'))).toHaveLength(1);
    }
  });
});
