import { afterEach, describe, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createBullJobs } from '../../jobs/bull-jobs.ts';
import { startPrivateRedis } from '../support/redis.ts';
import { cleanups, crashAndRestart } from '../support/worker-crash.ts';

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a worker killed (SIGKILL) in the middle of a fan-out to 1,000 subscribers, then restarted', () => {
  // Its own redis-server: the service's fixed key prefix must not meet other tests' keys.
  it('bull queue: every subscriber got the script exactly once', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    await crashAndRestart((_database) => createBullJobs({ redisUrl: redis.url, prefix: 'pingan:', logger: createLogger('silent') }), redis.url);
  }, 180_000);
});
