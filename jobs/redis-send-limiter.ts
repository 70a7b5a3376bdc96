import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { catchUpSlots, fullLimits, isGroupChat, sleep, type SendLimiter, type SendLimits } from './send-limiter.ts';

/**
 * The same pacing as createMemoryLimiter, shared by every worker process through Redis: one Lua call
 * decides and takes the slot atomically, on Redis's clock, so two workers never take one slot.
 * Returns 0 when the send may start, otherwise the milliseconds to wait before asking again.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval, gap, groupMax = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if ARGV[4] ~= '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now)
  if redis.call('ZCARD', KEYS[5]) > 0 then return 100 end
end
local grid = ARGV[8] == '1' and 0 or tonumber(redis.call('GET', KEYS[1]) or '0')
local slot = math.max(now, grid, tonumber(redis.call('GET', KEYS[2]) or '0'),
  tonumber(redis.call('GET', KEYS[3]) or '0'))
if ARGV[5] == '1' then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 60000)
  if redis.call('ZCARD', KEYS[4]) >= groupMax then
    local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
    slot = math.max(slot, tonumber(oldest[2]) + 60000)
  end
end
if slot > now then return math.ceil(slot - now) end
local base = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now - tonumber(ARGV[7]) * interval)
redis.call('SET', KEYS[1], string.format('%.3f', base + interval), 'PX', 60000)
redis.call('SET', KEYS[3], tostring(math.ceil(now + gap)), 'PX', math.ceil(gap))
if ARGV[5] == '1' then
  redis.call('ZADD', KEYS[4], now, tostring(now) .. ':' .. ARGV[6])
  redis.call('PEXPIRE', KEYS[4], 61000)
end
return 0
`;

const PAUSE = `
local t = redis.call('TIME')
local untilMs = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then redis.call('SET', KEYS[1], tostring(untilMs), 'PX', tonumber(ARGV[1]) + 1000) end
return 0
`;

const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 1000)
return 0
`;

/** An urgent lease lives this long unless renewed, so a crashed urgent worker cannot stall the rest. */
const URGENT_LEASE_MS = 15_000;

export function createRedisLimiter(redis: Redis, prefix: string, limits: SendLimits): SendLimiter {
  const l = fullLimits(limits);
  const k = (name: string): string => `${prefix}limiter:${name}`;
  const urgentKey = k('urgent');
  return {
    async acquire(chatId, options = {}) {
      const group = isGroupChat(chatId);
      for (;;) {
        options.signal?.throwIfAborted();
        const keys = [k('next'), k('pause'), k(`chat:${chatId}`), k(`group:${chatId}`), urgentKey];
        const args = [1000 / l.perSecond, l.perChatGapMs, l.perGroupPerMinute, options.urgent ? '1' : '0', group ? '1' : '0', randomBytes(4).toString('hex'), catchUpSlots(l.perSecond), options.jump ? '1' : '0'];
        const wait = Number(await redis.eval(ACQUIRE, keys.length, ...keys, ...args));
        if (wait <= 0) return;
        await sleep(wait, options.signal);
      }
    },
    async pause(ms) {
      await redis.eval(PAUSE, 1, k('pause'), Math.ceil(ms));
    },
    async pauseChat(chatId, ms) {
      await redis.eval(PAUSE, 1, k(`chat:${chatId}`), Math.ceil(ms));
    },
    async holdUrgent() {
      const token = randomBytes(8).toString('hex');
      const renew = (): Promise<unknown> => redis.eval(HOLD, 1, urgentKey, token, URGENT_LEASE_MS);
      await renew();
      const timer = setInterval(() => void renew().catch(() => undefined), URGENT_LEASE_MS / 3);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await redis.zrem(urgentKey, token);
      };
    },
  };
}
