import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Telegram } from 'telegraf';
import type { Redis } from 'ioredis';
import { createBroadcastRepos, type BroadcastRepos } from '../../core/broadcast/broadcast-repos.ts';
import { todayIn } from '../../core/broadcast/dates.ts';
import { parseConfig, type Config } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { createBullJobs } from '../../jobs/bull-jobs.ts';
import { createRedisLimiter } from '../../jobs/redis-send-limiter.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import type { JobQueue } from '../../jobs/types.ts';
import { clockFrom, MORNING, observedProcessors, STAFF_ID } from './broadcast-harness.ts';
import { CONTENT_DIR, realContent } from './content.ts';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.ts';
import { cleanPrefix, randomPrefix, requireRedis, TEST_REDIS_URL } from './redis.ts';

export interface BullHarness {
  readonly api: FakeBotApi;
  readonly config: Config;
  readonly database: Database;
  readonly repos: BroadcastRepos;
  readonly redis: Redis;
  readonly prefix: string;
  readonly events: EventEmitter;
  readonly clock: () => number;
  readonly today: string;
  /** Another bull queue on the same Redis and prefix, as a second process would have. */
  queue(): Promise<JobQueue>;
  /** A worker (on its own queue connection) with the Redis-shared send limiter. */
  worker(): Promise<Worker>;
  stop(): Promise<void>;
}

/** Bull on the real test Redis under a random prefix, SQLite in a temp folder, the fake Bot API. */
export async function startBullHarness(options: { redisUrl?: string } = {}): Promise<BullHarness> {
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const redis = await requireRedis(redisUrl);
  const api = await startFakeBotApi();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bull-'));
  const config = parseConfig({ CONTENT_DIR, DATA_DIR: dataDir, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, REDIS_URL: redisUrl, STAFF_IDS: String(STAFF_ID) });
  const database = await openDatabase(config.databaseFile);
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const prefix = randomPrefix();
  const clock = clockFrom(MORNING);
  const events = new EventEmitter();
  const closers: (() => Promise<unknown>)[] = [];
  const queue = async (): Promise<JobQueue> => {
    const q = await createBullJobs({ redisUrl, prefix, logger, lockDurationMs: 4000 });
    closers.push(() => q.close());
    return q;
  };
  return {
    api, config, database, repos: createBroadcastRepos(database), redis, prefix, events, clock,
    today: todayIn(config.broadcast.timezone, new Date(clock())),
    queue,
    async worker() {
      const q = await queue();
      const telegram = new Telegram(api.token, { apiRoot: api.apiRoot });
      const w = createWorker(
        { config, content: realContent(), database, telegram, logger, jobs: q, now: clock, sendLimiter: createRedisLimiter(redis, prefix, { perSecond: config.broadcast.ratePerSecond }) },
        { queue: q, processors: observedProcessors(events) },
      );
      closers.push(() => w.close());
      await w.start();
      return w;
    },
    async stop() {
      for (const c of closers.reverse()) await c().catch(() => undefined);
      await cleanPrefix(redis, prefix);
      redis.disconnect();
      await database.close();
      await api.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
