import Bull from 'bull';
import { Redis } from 'ioredis';
import type { Logger } from '../core/logger.ts';
import { DEFAULT_ATTEMPTS, DEFAULT_PRIORITY } from './in-process-jobs.ts';
import type { JobQueue } from './types.ts';

export interface BullJobsOptions {
  readonly redisUrl: string;
  /** Key prefix ('pingan:' in production, random in tests); bull's keys go under `<prefix>bull:jobs:`. */
  readonly prefix: string;
  /** The app's connected client, shared as bull's 'client'; one is made (and closed) otherwise. */
  readonly client?: Redis;
  readonly logger: Logger;
  /** A running job's lock; a worker killed mid-job loses its job to another worker once it expires. */
  readonly lockDurationMs?: number;
}

/** Redis is down at start: the message says what to do, and nothing has been half-started. */
export class RedisUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RedisUnavailableError';
  }
}

const redact = (url: string): string => url.replace(/\/\/([^@/]*)@/, '//***@');

/** Connects a client for REDIS_URL or throws RedisUnavailableError (and stops reconnecting). */
/**
 * `failFast`: for the update path (sessions, de-duplication, the send limiter). A command gets a short
 * timeout and is refused at once while the connection is down, instead of queueing until Redis is
 * back; bull's own connections keep waiting, which is what a queue wants.
 */
export async function connectRedis(url: string, logger?: Logger, options: { failFast?: boolean } = {}): Promise<Redis> {
  const client = new Redis(url, options.failFast
    ? { lazyConnect: true, commandTimeout: 1000, maxRetriesPerRequest: 1, enableOfflineQueue: false }
    : { maxRetriesPerRequest: null, lazyConnect: true });
  let cause: Error | undefined;
  const remember = (err: Error): void => void (cause ??= err);
  client.on('error', remember); // the first error says why (ECONNREFUSED …); connect() only says "closed"
  try {
    await client.connect();
    client.off('error', remember);
    client.on('error', (err: Error) => logger?.warn({ err: err.message }, 'redis connection error'));
    return client;
  } catch (err) {
    client.disconnect();
    const why = (cause ?? (err as Error)).message.replace(/\.+$/, '');
    throw new RedisUnavailableError(
      `Redis at REDIS_URL (${redact(url)}) is not reachable: ${why}. ` +
        'Start Redis and try again, or unset REDIS_URL to run jobs in-process on the embedded default.',
    );
  }
}

/**
 * Queued jobs live only in Redis memory: a Redis that evicts keys under memory pressure would drop
 * them silently, so a worker refuses to start unless maxmemory-policy is noeviction.
 */
export async function assertNoEviction(client: Redis): Promise<void> {
  const info = await client.info('memory');
  const policy = /maxmemory_policy:(\S+)/.exec(info)?.[1] ?? 'unknown';
  if (policy !== 'noeviction') {
    throw new Error(
      `Redis maxmemory-policy is "${policy}"; the job worker needs "noeviction", otherwise Redis may evict queued jobs ` +
        'under memory pressure and broadcasts would be lost. Set "maxmemory-policy noeviction" in redis.conf ' +
        '(or run CONFIG SET maxmemory-policy noeviction) and start the worker again.',
    );
  }
}

const DAY_S = 86_400;

/**
 * Jobs on bull 4 (REDIS_URL set). Connections are shared through bull's createClient: the app's
 * client for commands, one subscriber, and a blocking client per queue (bull requires
 * maxRetriesPerRequest: null and enableReadyCheck: false on those). Completed jobs are kept a week and
 * failed ones a month, both capped in number, so Redis does not grow while a jobId stays a dedupe
 * for the days that matter.
 */
export async function createBullJobs(options: BullJobsOptions): Promise<JobQueue & { readonly queue: Bull.Queue }> {
  const ownClient = options.client === undefined;
  const client = options.client ?? (await connectRedis(options.redisUrl, options.logger));
  const extra: Redis[] = [];
  const blockingSafe = (): Redis => {
    const r = new Redis(options.redisUrl, { maxRetriesPerRequest: null, enableReadyCheck: false });
    r.on('error', (err: Error) => options.logger.warn({ err: err.message }, 'redis connection error'));
    extra.push(r);
    return r;
  };
  let subscriber: Redis | undefined;
  const lockDuration = options.lockDurationMs ?? 15_000;
  const queue = new Bull('jobs', {
    prefix: `${options.prefix}bull`,
    createClient: (type) => (type === 'client' ? client : type === 'subscriber' ? (subscriber ??= blockingSafe()) : blockingSafe()),
    settings: { lockDuration, lockRenewTime: lockDuration / 3, stalledInterval: Math.min(5000, lockDuration), maxStalledCount: 3 },
    defaultJobOptions: {
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: { age: 7 * DAY_S, count: 10_000 },
      removeOnFail: { age: 30 * DAY_S, count: 10_000 },
    },
  });
  queue.on('error', (err) => options.logger.error({ err: err.message }, 'bull queue error'));
  // Only the message: a telegraf error object carries the request (chat id, text).
  queue.on('failed', (job, err) => options.logger.warn({ job: job.id, name: job.name, attempt: job.attemptsMade, err: err.message }, 'job failed'));
  let processing: Promise<unknown> | undefined;

  return {
    mode: 'bull',
    queue,
    async enqueue(name, data, opts = {}) {
      await queue.add(name, data ?? null, {
        ...(opts.jobId ? { jobId: opts.jobId } : {}),
        ...(opts.delayMs ? { delay: opts.delayMs } : {}),
        attempts: Math.max(1, opts.attempts ?? DEFAULT_ATTEMPTS),
        priority: opts.priority ?? DEFAULT_PRIORITY,
      });
    },
    async consume(run, { concurrency }) {
      await assertNoEviction(client);
      if (processing) throw new Error('this bull queue already has a consumer');
      // process() resolves only when the queue closes, so it is not awaited here.
      processing = queue
        .process('*', concurrency, (job) => run({ id: String(job.id), name: job.name, data: job.data as unknown, attempt: job.attemptsMade + 1 }))
        .catch((err: unknown) => options.logger.error({ err }, 'bull worker stopped'));
      await queue.isReady();
      return { close: () => queue.close().then(() => undefined) };
    },
    async close() {
      await queue.close();
      await processing;
      for (const r of extra) r.disconnect();
      if (ownClient) client.disconnect();
    },
  };
}
