import type { Redis } from 'ioredis';
import type { SessionStore } from './session-store.ts';
import type { UpdateDedupe } from './update-dedupe.ts';

/** Sessions in Redis (REDIS_URL set), shared by every bot process; idle sessions expire after `ttl` s. */
export function createRedisSessionStore<T>(redis: Redis, prefix: string, ttl = 30 * 24 * 3600): SessionStore<T> {
  return {
    async get(key) {
      const v = await redis.get(`${prefix}session:${key}`);
      return v ? (JSON.parse(v) as T) : undefined;
    },
    async set(key, value) {
      await redis.set(`${prefix}session:${key}`, JSON.stringify(value), 'EX', ttl);
    },
    async delete(key) {
      await redis.del(`${prefix}session:${key}`);
    },
  };
}

/** Update ids remembered for a day: Telegram stops redelivering long before that. */
export function createRedisUpdateDedupe(redis: Redis, prefix: string, ttl = 24 * 3600): UpdateDedupe {
  return {
    async seen(updateId) {
      return (await redis.exists(`${prefix}update:${updateId}`)) === 1;
    },
    async mark(updateId) {
      await redis.set(`${prefix}update:${updateId}`, '1', 'EX', ttl);
    },
  };
}
