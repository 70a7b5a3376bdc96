import { Redis } from 'ioredis';
import type { Config } from '../core/config.ts';
import type { Content } from '../core/content/load-content.ts';
import type { Logger } from '../core/logger.ts';
import { createMetrics } from '../core/metrics.ts';
import { createFloodControl } from '../core/rate/flood-control.ts';
import { openDatabase, type Database } from '../core/storage/database.ts';
import { createQuestionLog } from '../core/storage/question-log.ts';
import { createSqlSessionStore } from '../core/storage/session-store.ts';
import { createUpdateDedupe } from '../core/storage/update-dedupe.ts';
import { createRedisSessionStore, createRedisUpdateDedupe } from '../core/storage/redis-stores.ts';
import type { BotDeps, SessionData } from '../bot/context.ts';

export interface App {
  readonly deps: BotDeps;
  readonly database: Database;
  readonly redis?: Redis;
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
  if (config.redisUrl) {
    redis = new Redis(config.redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
    try {
      await redis.connect();
    } catch (err) {
      await database.close();
      throw new Error(`Redis at REDIS_URL is not reachable (${(err as Error).message}). Start Redis or unset REDIS_URL to run on embedded defaults.`);
    }
  }
  const prefix = 'pingan:';
  const deps: BotDeps = {
    config,
    content,
    logger,
    questionLog: createQuestionLog(database),
    dedupe: redis ? createRedisUpdateDedupe(redis, prefix) : createUpdateDedupe(database),
    sessions: redis ? createRedisSessionStore<SessionData>(redis, prefix) : createSqlSessionStore<SessionData>(database),
    flood: createFloodControl(),
    metrics: createMetrics(),
    now: Date.now,
  };
  return {
    deps,
    database,
    redis,
    async close() {
      redis?.disconnect();
      await database.close();
    },
  };
}
