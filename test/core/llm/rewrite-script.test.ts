import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateScript } from '../../../core/broadcast/generate-script.ts';
import { createOfflineLlm } from '../../../core/llm/llm.ts';
import { rewriteScript, storedRewrite } from '../../../core/llm/rewrite-script.ts';
import { keySentences, verifyRewrite } from '../../../core/llm/script-verifier.ts';
import { openDatabase, type Database } from '../../../core/storage/database.ts';
import { createSqlRewriteStore } from '../../../core/storage/llm-stores.ts';
import { realContent } from '../../support/content.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/fake-openai.ts';
import { llmFor } from '../../support/llm.ts';

const content = realContent();
const script = generateScript({ date: '2026-11-29', content });
const paragraphs = script.text.split('\n\n');
/** A rewrite that only changes wording around the advice, as the instructions ask. */
const natural = (): string[] =>
  paragraphs.map((p, i) => (i === 0 ? p.replace('大家好', '早上好') : i === paragraphs.length - 1 ? `好了，${p}` : p));

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

describe('broadcast rewrite verifier', () => {
  it('the fixture script has the numbers and negations the checks below rely on', () => {
    expect(script.text).toContain('119');
    expect(keySentences(script).some((s) => s.includes('不要'))).toBe(true);
  });

  it('accepts a rewrite that keeps every number and key point', () => {
    expect(verifyRewrite(script, natural().join('\n\n'))).toEqual({ ok: true });
  });

  it.each([
    ['drops 119', (ps: string[]) => ps.map((p) => p.replaceAll('119', '幺幺九'))],
    ['adds a new phone number', (ps: string[]) => [...ps.slice(0, -1), `${ps.at(-1)}有事也可以打023-67891234。`]],
    ['adds a spelled-out number', (ps: string[]) => [...ps.slice(0, -1), `${ps.at(-1)}也可以打幺三八零零。`]],
    ['adds a law and a fine', (ps: string[]) => [...ps.slice(0, -1), `根据《消防法》，违者罚款五百元。${ps.at(-1)}`]],
    ['adds a hotline', (ps: string[]) => [...ps.slice(0, -1), `${ps.at(-1)}还可以打便民热线咨询。`]],
    ['turns a "不要" into a "要"', (ps: string[]) => ps.map((p) => p.replaceAll('不要', '要'))],
    ['drops an item of advice', (ps: string[]) => ps.filter((_, i) => i !== 3)],
    ['is far too short', (ps: string[]) => [ps[0]!, ps.at(-1)!, ps[2]!]],
    ['cannot be read aloud', (ps: string[]) => ps.map((p, i) => (i === 2 ? `**${p}**` : p))],
  ])('rejects a rewrite that %s', (_name, mutate) => {
    const verdict = verifyRewrite(script, mutate(natural()).join('\n\n'));
    expect(verdict.ok).toBe(false);
  });
});

describe('rewriteScript', () => {
  it('an accepted rewrite is stored by date and every rendering shows it, sources unchanged', async () => {
    ai.onChat((req) => {
      expect(req.data.paragraphs).toEqual(paragraphs);
      return { json: { paragraphs: natural() } };
    });
    const store = createSqlRewriteStore(database);
    const r = await rewriteScript(script, llmFor(ai).llm, store);
    expect(r.rewritten).toBe(true);
    expect(r.text).toBe(natural().join('\n\n'));
    expect(r.markdown).toContain('早上好');
    expect(r.markdown).toContain('本期内容来源');
    expect(r.html).toContain('<p>好了，');
    expect(r.html).toContain('broadcast-sources');
    expect(r.sources).toEqual(script.sources);
  });

  it('the day\'s text never changes after the first outcome: later calls reuse it without asking the model', async () => {
    const store = createSqlRewriteStore(database);
    ai.queueChat({ json: { paragraphs: natural() } });
    const first = await rewriteScript(script, llmFor(ai).llm, store);
    ai.onChat(() => ({ json: { paragraphs: natural().map((p) => p.replace('早上好', '上午好')) } }));
    const again = await rewriteScript(script, llmFor(ai).llm, store);
    expect(again.text).toBe(first.text);
    expect(ai.chatRequests()).toHaveLength(1);
    // Readers that must not trigger a model call get the same stored text.
    expect((await storedRewrite(script, store)).text).toBe(first.text);
    // Even with the model gone later, the delivered text stands.
    expect((await rewriteScript(script, createOfflineLlm(), store)).text).toBe(first.text);
  });

  it.each([
    ['drops 119', { json: { paragraphs: paragraphs.map((p) => p.replaceAll('119', '')) } }],
    ['adds a phone number', { json: { paragraphs: [...paragraphs, '咨询电话13800001111。'] } }],
    ['is malformed', { content: '好的，这是改写后的广播稿：各位居民朋友……' }],
    ['times out', { hang: true }],
    ['fails with 500', { status: 500 }],
  ] as const)('a model reply that %s leaves the deterministic script, for good', async (_name, reply) => {
    const store = createSqlRewriteStore(database);
    ai.onChat(() => reply);
    const t = llmFor(ai, { guard: { maxRetries: 0 } });
    const r = await rewriteScript(script, t.llm, store, { timeoutMs: 150 });
    expect(r.rewritten).toBe(false);
    expect(r.text).toBe(script.text);
    expect(r.html).toBe(script.html);
    ai.onChat(() => ({ json: { paragraphs: natural() } }));
    expect((await rewriteScript(script, t.llm, store)).text).toBe(script.text);
    expect(ai.chatRequests()).toHaveLength(1);
  });

  it('a configured model that is out of budget leaves the deterministic script, stored so the day stays fixed', async () => {
    const store = createSqlRewriteStore(database);
    const { llm } = llmFor(ai, { dailyTokens: 0 });
    expect((await rewriteScript(script, llm, store)).rewritten).toBe(false);
    expect(ai.requests).toHaveLength(0);
    const rows = await database.db.selectFrom('script_rewrites').select(['date', 'text', 'reason']).execute();
    expect(rows).toEqual([{ date: script.date, text: null, reason: 'budget' }]);
  });

  it('with no model configured the deterministic script is returned and nothing is stored', async () => {
    const store = createSqlRewriteStore(database);
    expect(await rewriteScript(script, createOfflineLlm(), store)).toEqual({ ...script, rewritten: false });
    expect(await store.get(script.date, 'anything')).toBeUndefined();
    const rows = await database.db.selectFrom('script_rewrites').selectAll().execute();
    expect(rows).toHaveLength(0);
  });

  it('another day, or another town\'s script, is rewritten on its own', async () => {
    const store = createSqlRewriteStore(database);
    ai.onChat((req) => ({ json: { paragraphs: (req.data.paragraphs as string[]).map((p, i) => (i === 0 ? p.replace('大家好', '早上好') : p)) } }));
    const { llm } = llmFor(ai);
    const town = generateScript({ date: '2026-11-29', town: '龙兴镇', content });
    const nextDay = generateScript({ date: '2026-11-30', content });
    for (const s of [script, town, nextDay]) expect((await rewriteScript(s, llm, store)).text).not.toBe(s.text);
    expect(ai.chatRequests()).toHaveLength(3);
  });
});
