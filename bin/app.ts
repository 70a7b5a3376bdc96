import type { Redis } from 'ioredis';
import type { Config } from '../core/config.ts';
import type { Content } from '../core/content/load-content.ts';
import type { Logger } from '../core/logger.ts';
import { createMetrics } from '../core/metrics.ts';
import { createScriptSource } from '../core/broadcast/script-source.ts';
import { createFloodControl } from '../core/rate/flood-control.ts';
import { openDatabase, type Database } from '../core/storage/database.ts';
import { createQuestionLog } from '../core/storage/question-log.ts';
import { createSqlSessionStore, skipUnchangedWrites } from '../core/storage/session-store.ts';
import { createUpdateDedupe } from '../core/storage/update-dedupe.ts';
import { createRedisSessionStore, createRedisUpdateDedupe } from '../core/storage/redis-stores.ts';
import type { BotDeps, SessionData } from '../bot/context.ts';
import { createVolunteerRepos } from '../core/volunteers/repos.ts';
import { createVolunteerEraser } from '../core/volunteers/volunteer-eraser.ts';
import { createSqlUsageStore } from '../core/storage/llm-stores.ts';
import { buildLlmServices } from './llm-services.ts';
import { createFieldCipher } from '../core/storage/field-cipher.ts';
import { createTips } from '../core/tips/tips.ts';
import { createTipEraser } from '../core/tips/tip-privacy.ts';
import { createBroadcastRepos } from '../core/broadcast/broadcast-repos.ts';
import { createBroadcastEraser } from '../core/broadcast/broadcast-privacy.ts';
import { createInProcessJobs } from '../jobs/in-process-jobs.ts';
import { createRedisLimiter } from '../jobs/redis-send-limiter.ts';
import { createMemoryLimiter, type SendLimiter } from '../jobs/send-limiter.ts';
import type { JobQueue } from '../jobs/types.ts';
import type { Telegram } from 'telegraf';
import { installSendPath } from '../jobs/send-path.ts';
import { createUndeliveredStore, type UndeliveredStore } from '../core/storage/undelivered-store.ts';
import { createUpdateInbox, type UpdateInbox } from '../core/storage/update-inbox.ts';

export interface App {
  readonly deps: BotDeps;
  readonly database: Database;
  readonly redis?: Redis;
  /** The job queue: bull on Redis with REDIS_URL, else the in-process queue in SQLite. */
  readonly queue: JobQueue;
  /** Paces every send; shared through Redis by every process when REDIS_URL is set. */
  readonly sendLimiter: SendLimiter;
  /** What the send path gave up on, for staff. */
  readonly undelivered: UndeliveredStore;
  /** Updates received by long polling and not yet handled. */
  readonly inbox: UpdateInbox;
  /**
   * Puts the one send path (limiter, priorities, retries, timeouts) in front of a Telegram client, or
   * of a bot: telegraf builds a fresh client for every update, so the bot's context is pointed at the
   * one wrapped client.
   */
  installSendPath(target: Telegram | { telegram: Telegram; context: object }, options?: { limiter?: SendLimiter; requestTimeoutMs?: number }): void;
  close(): Promise<void>;
}

/**
 * The composition root: the only place real clients (SQLite, Redis) are built. Embedded default:
 * SQLite for everything. With REDIS_URL: sessions and update dedupe move to Redis so several bot
 * processes share them.
 */
export async function buildApp(config: Config, content: Content, logger: Logger): Promise<App> {
  const database = await openDatabase(config.databaseFile);
  let redis: Redis | undefined;
  /** The update path's own connection: short timeouts and no offline queue, so an outage fails fast. */
  let fastRedis: Redis | undefined;
  // bull and ioredis (about 30 MB resident) load only when Redis is configured.
  const bullJobs = config.redisUrl ? await import('../jobs/bull-jobs.ts') : undefined;
  if (config.redisUrl && bullJobs) {
    try {
      redis = await bullJobs.connectRedis(config.redisUrl, logger);
      fastRedis = await bullJobs.connectRedis(config.redisUrl, logger, { failFast: true });
    } catch (err) {
      redis?.disconnect();
      await database.close();
      throw err;
    }
  }
  const prefix = config.redisPrefix;
  const queue: JobQueue = config.redisUrl && redis && bullJobs
    ? await bullJobs.createBullJobs({ redisUrl: config.redisUrl, prefix, client: redis, logger })
    : createInProcessJobs(database, { logger });
  const sendLimiter = fastRedis
    ? createRedisLimiter(fastRedis, prefix, { perSecond: config.broadcast.ratePerSecond })
    : createMemoryLimiter({ perSecond: config.broadcast.ratePerSecond });
  const broadcast = createBroadcastRepos(database);
  const metrics = createMetrics();
  // Optional model: offline when OPENAI_* is unset. Its one budget notice reaches the staff group as a job.
  const llmServices = buildLlmServices(config, content, {
    usage: createSqlUsageStore(database),
    logger,
    metrics,
    notifyStaff: (text) => {
      queue.enqueue('staff-notice', { text }).catch((err: unknown) => logger.warn({ err, notice: text }, 'staff notice not queued'));
    },
  });
  void llmServices.prepare();
  // Real-name tip contacts are encrypted with DATA_KEY; without it real-name reporting is refused.
  const cipher = config.dataKey ? createFieldCipher(config.dataKey) : undefined;
  const tips = createTips(database, { cipher });
  // Volunteer phones are encrypted with DATA_KEY; without it sign-up is closed (never stored in clear).
  const volunteers = createVolunteerRepos(database, content.towns, config.dataKey, Date.now);
  const deps: BotDeps = {
    config,
    content,
    logger,
    questionLog: createQuestionLog(database),
    dedupe: fastRedis ? createRedisUpdateDedupe(fastRedis, prefix) : createUpdateDedupe(database),
    sessions: skipUnchangedWrites(fastRedis ? createRedisSessionStore<SessionData>(fastRedis, prefix) : createSqlSessionStore<SessionData>(database)),
    flood: createFloodControl(),
    metrics,
    scripts: createScriptSource({ content, database }),
    llm: llmServices.llm,
    assistedAnswerer: llmServices.assistedAnswerer,
    volunteers,
    tips,
    // /delete_me runs every eraser: each module that keeps personal data adds its own here.
    erasers: [createTipEraser(tips.privacy, content.strings), createBroadcastEraser(broadcast, content.strings),
      createVolunteerEraser(volunteers, queue, content.strings)],
    scrubStorage: () => database.scrub(),
    jobs: queue,
    broadcast,
    now: Date.now,
  };
  const undelivered = createUndeliveredStore(database);
  return {
    deps,
    database,
    redis,
    queue,
    sendLimiter,
    undelivered,
    inbox: createUpdateInbox(database, cipher),
    installSendPath(target, options = {}) {
      const telegram = 'context' in target ? target.telegram : target;
      if ('context' in target) Object.assign(target.context, { telegram });
      installSendPath(telegram, {
        limiter: options.limiter ?? sendLimiter, requestTimeoutMs: options.requestTimeoutMs, logger, metrics, record: (u) => undelivered.record(u), fallbackPerSecond: config.broadcast.ratePerSecond,
      });
    },
    async close() {
      await queue.close();
      fastRedis?.disconnect();
      redis?.disconnect();
      await database.close();
    },
  };
}
