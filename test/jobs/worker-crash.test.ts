import { afterEach, describe, it } from 'vitest';
import { createLogger } from '../../core/logger.ts';
import { createInProcessJobs } from '../../jobs/in-process-jobs.ts';
import { cleanups, crashAndRestart } from '../support/worker-crash.ts';

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('a worker killed (SIGKILL) in the middle of a fan-out to 1,000 subscribers, then restarted', () => {
  it('in-process queue: every subscriber got the script exactly once', async () => {
    await crashAndRestart(async (database) => createInProcessJobs(database, { logger: createLogger('silent') }));
  }, 180_000);
});
