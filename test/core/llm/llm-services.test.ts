import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildLlmServices } from '../../../bin/llm-services.ts';
import { parseConfig } from '../../../core/config.ts';
import { ConfigError } from '../../../core/errors.ts';
import { createLogger } from '../../../core/logger.ts';
import { openDatabase, type Database } from '../../../core/storage/database.ts';
import { createSqlUsageStore } from '../../../core/storage/llm-stores.ts';
import { CONTENT_DIR, realContent } from '../../support/content.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/fake-openai.ts';
import { findUnsureQuestion } from '../../support/llm.ts';

const content = realContent();
const logger = createLogger('silent');
let ai: FakeOpenAi;
let database: Database;
beforeEach(async () => {
  ai = await startFakeOpenAi();
  database = await openDatabase(':memory:');
});
afterEach(async () => {
  await ai.close();
  await database.close();
});

describe('model configuration', () => {
  it('is absent unless key and model are set, and has safe defaults', () => {
    expect(parseConfig({}).openai).toBeUndefined();
    const c = parseConfig({ OPENAI_API_KEY: 'k', OPENAI_MODEL: 'm', OPENAI_TIMEOUT_MS: '', OPENAI_DAILY_TOKENS: '' });
    expect(c.openai).toMatchObject({ timeoutMs: 4000, dailyTokens: 200_000 });
    expect(() => parseConfig({ OPENAI_TIMEOUT_MS: 'soon' })).toThrow(/OPENAI_TIMEOUT_MS/);
    expect(() => parseConfig({ OPENAI_API_KEY: 'k' })).toThrow(ConfigError);
  });

  it('with nothing configured the services are offline and send nothing', async () => {
    const s = buildLlmServices(parseConfig({ CONTENT_DIR }), content, { usage: createSqlUsageStore(database), logger, notifyStaff: () => undefined });
    expect(s.llm.capabilities).toEqual({ chat: false, embeddings: false });
    expect(s.assistedAnswerer).toBeUndefined();
    await s.prepare();
    expect(ai.requests).toHaveLength(0);
  });
});

describe('the daily token budget, shared through the database', () => {
  it('stops model calls once spent and tells staff once, in Chinese, even across two service instances', async () => {
    ai.onChat(() => ({ json: { id: 'none' }, tokens: 500 }));
    const config = parseConfig({ CONTENT_DIR, ...ai.env({ OPENAI_DAILY_TOKENS: '1000' }) });
    const notices: string[] = [];
    const build = () => buildLlmServices(config, content, { usage: createSqlUsageStore(database), logger, notifyStaff: (t) => void notices.push(t) });
    const a = build();
    const b = build();
    const q = findUnsureQuestion().q;
    await a.assistedAnswerer!.ask(q); // 510 tokens
    await b.assistedAnswerer!.ask(q); // 1020: spent
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('上限');
    const before = ai.chatRequests().length;
    expect(await a.assistedAnswerer!.ask(q)).toEqual(content.kb.answerer.ask(q));
    expect(await b.assistedAnswerer!.ask(q)).toEqual(content.kb.answerer.ask(q));
    expect(ai.chatRequests()).toHaveLength(before);
    expect(notices).toHaveLength(1);
  });

  it('the usage store adds up and lets exactly one caller claim the notice', async () => {
    const store = createSqlUsageStore(database);
    expect(await store.used('2026-11-29')).toBe(0);
    expect(await store.add('2026-11-29', 5)).toBe(5);
    expect(await store.add('2026-11-29', 7)).toBe(12);
    expect(await store.used('2026-11-30')).toBe(0);
    const claims = await Promise.all([store.claimNotice('2026-11-29'), store.claimNotice('2026-11-29'), createSqlUsageStore(database).claimNotice('2026-11-29')]);
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});
