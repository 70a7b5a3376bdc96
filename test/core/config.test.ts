import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';

describe('parseConfig', () => {
  it('runs on embedded defaults with an empty environment', () => {
    const c = parseConfig({});
    expect(c.port).toBe(8080);
    expect(c.redisUrl).toBeUndefined();
    expect(c.telegram.token).toBeUndefined();
    expect(c.databaseFile).toMatch(/data[/\\]pingan\.sqlite$/);
    expect(c.broadcast).toMatchObject({ timezone: 'Asia/Shanghai', time: '06:30', cutoff: '12:00', ratePerSecond: 25 });
    expect(Object.isFrozen(c) && Object.isFrozen(c.broadcast)).toBe(true);
  });

  it('names each bad variable', () => {
    expect(() => parseConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => parseConfig({ STAFF_IDS: '123,abc' })).toThrow(/STAFF_IDS.*"abc"/s);
    expect(() => parseConfig({ BOT_TOKEN: 'not a token' })).toThrow(/BOT_TOKEN/);
    expect(() => parseConfig({ BROADCAST_TIME: '6:30am' })).toThrow(/BROADCAST_TIME/);
    expect(() => parseConfig({ TZ_BROADCAST: 'Mars/Olympus' })).toThrow(/TZ_BROADCAST/);
  });

  it('treats optional sections as all or nothing', () => {
    expect(() => parseConfig({ WEBHOOK_URL: 'https://example.org/hook' })).toThrow(/WEBHOOK_SECRET/);
    expect(() => parseConfig({ OPENAI_API_KEY: 'sk-x' })).toThrow(/OPENAI_MODEL/);
    const c = parseConfig({ WEBHOOK_URL: 'https://example.org/hook', WEBHOOK_SECRET: 'a'.repeat(20), STAFF_IDS: '1, 22 333' });
    expect(c.webhook).toEqual({ url: 'https://example.org/hook', secret: 'a'.repeat(20) });
    expect(c.staffIds).toEqual([1, 22, 333]);
    expect(c.openai).toBeUndefined();
  });

  it('accepts a sqlite DATABASE_URL and refuses others for now', () => {
    expect(parseConfig({ DATABASE_URL: 'sqlite:/tmp/x.db' }).databaseFile).toBe('/tmp/x.db');
    expect(() => parseConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/DATABASE_URL/);
  });
});
