import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../../core/storage/database.ts';
import { createQuestionLog } from '../../core/storage/question-log.ts';
import { createUpdateDedupe } from '../../core/storage/update-dedupe.ts';
import { createSqlSessionStore, skipUnchangedWrites } from '../../core/storage/session-store.ts';
import { clusterTexts } from '../../core/knowledge/cluster.ts';
import { realContent } from '../support/content.ts';

const dirs: string[] = [];
const tmpFile = (): string => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-db-'));
  dirs.push(d);
  return path.join(d, 'nested', 'db.sqlite');
};
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('SQLite storage on the embedded default', () => {
  it('creates the file on first run and keeps data across reopen (migrations run once)', async () => {
    const file = tmpFile();
    const { answerer } = realContent().kb;
    let db = await openDatabase(file);
    const id = await createQuestionLog(db).record(42, 'telegram', answerer.ask('推荐个火锅店'));
    const salt = db.salt;
    await db.close();
    db = await openDatabase(file);
    expect(db.salt).toBe(salt);
    const misses = await createQuestionLog(db).misses();
    expect(misses.map((m) => m.id)).toEqual([id]);
    await db.close();
  });

  it('never stores a chat id in clear', async () => {
    const file = tmpFile();
    const db = await openDatabase(file);
    await createQuestionLog(db).record(987654321, 'telegram', realContent().kb.answerer.ask('灭火器怎么用'));
    await db.close();
    expect(fs.readFileSync(file).includes(Buffer.from('987654321'))).toBe(false);
  });

  it('remembers processed update ids', async () => {
    const db = await openDatabase(tmpFile());
    const dedupe = createUpdateDedupe(db);
    expect(await dedupe.seen(7)).toBe(false);
    await dedupe.mark(7);
    await dedupe.mark(7); // a second mark (the same update handled twice after a crash) is harmless
    expect(await dedupe.seen(7)).toBe(true);
    expect(await dedupe.seen(8)).toBe(false);
    await db.close();
  });
});

describe('per-update statements on the hot path', () => {
  it('an update id recorded while another write is rolled back stays recorded (no second effect on redelivery)', async () => {
    const db = await openDatabase(tmpFile());
    const dedupe = createUpdateDedupe(db);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // A transaction held open across awaits, as multi-row writes do, that ends in a rollback.
    const tx = db.db.transaction().execute(async (trx) => {
      await trx.insertInto('meta').values({ key: 'doomed', value: 'x' }).execute();
      await held;
      throw new Error('rolled back');
    });
    await new Promise((r) => setTimeout(r, 10));
    const first = dedupe.mark(4242);
    release();
    await expect(tx).rejects.toThrow('rolled back');
    await first;
    expect(await dedupe.seen(4242)).toBe(true);
    expect(await db.db.selectFrom('meta').select('key').where('key', '=', 'doomed').executeTakeFirst()).toBeUndefined();
    await db.close();
  });

  it('writes of concurrent updates are committed together: each is visible to another connection when its promise settles', async () => {
    const file = tmpFile();
    const db = await openDatabase(file);
    const log = createQuestionLog(db);
    const dedupe = createUpdateDedupe(db);
    const other = new SQLite(file, { readonly: true });
    const count = (): number => (other.prepare('select count(*) as n from question_log').get() as { n: number }).n;
    const answer = realContent().kb.answerer.ask('电动车能在楼道充电吗');
    const settled: number[] = [];
    // Twenty updates in flight at once, two of them the same redelivered update id.
    const ids = await Promise.all(Array.from({ length: 20 }, (_, i) => log.record(i, 'telegram', answer).then((id) => (settled.push(count()), id))));
    await Promise.all([dedupe.mark(7), dedupe.mark(7), dedupe.mark(8)]);
    const firsts = await Promise.all([dedupe.seen(7), dedupe.seen(8), dedupe.seen(9)]);
    expect(new Set(ids).size).toBe(20);
    expect(Math.min(...settled)).toBe(20); // no caller heard back before the whole batch was durable
    expect(firsts).toEqual([true, true, false]);
    other.close();
    await db.close();
  });

  it('a statement that fails in a group commit (here a duplicate key) fails alone', async () => {
    const db = await openDatabase(tmpFile());
    const stmt = db.sqlite!.prepare("insert into meta (key, value) values (?, 'x')");
    const write = (key: string) => db.groupCommit!({ direct: () => stmt.run(key).changes, queued: async () => 0 });
    const results = await Promise.allSettled([write('a'), write('a'), write('b')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await db.db.selectFrom('meta').select('key').where('key', 'in', ['a', 'b']).execute()).length).toBe(2);
    await db.close();
  });

  it('sessions: a chat that never used a flow leaves no row, and a change is written and read back', async () => {
    const file = tmpFile();
    const db = await openDatabase(file);
    const store = skipUnchangedWrites(createSqlSessionStore<{ flow?: string }>(db));
    const rows = async () => (await db.db.selectFrom('sessions').select(['key', 'value']).execute()).map((r) => `${r.key}=${r.value}`);
    // What telegraf does for a plain question: read, default to {}, write back untouched.
    expect(await store.get('1:1')).toBeUndefined();
    await store.set('1:1', {});
    expect(await rows()).toEqual([]);
    await store.set('1:1', { flow: 'report' });
    expect(await rows()).toEqual(['1:1={"flow":"report"}']);
    // Read it back unchanged: no write, same row; then clear the flow: written.
    const updated = async () => (await db.db.selectFrom('sessions').select('updated_at').executeTakeFirstOrThrow()).updated_at;
    const before = await updated();
    expect(await store.get('1:1')).toEqual({ flow: 'report' });
    await new Promise((r) => setTimeout(r, 5));
    await store.set('1:1', { flow: 'report' });
    expect(await updated()).toBe(before);
    await store.set('1:1', {});
    expect(await rows()).toEqual(['1:1={}']);
    await db.close();
    const reopened = await openDatabase(file);
    expect(await createSqlSessionStore(reopened).get('1:1')).toEqual({});
    await reopened.close();
  });
});

describe('editors\' misses', () => {
  it('groups similar questions, most frequent first', () => {
    const qs = ['电梯坏了找谁修', '暖气片漏水咋办', '电梯坏了找哪个修', '电梯坏了打谁电话', '暖气片漏水了咋整'];
    const clusters = clusterTexts(qs, (q) => q, realContent().kb.normalizer);
    expect(clusters.map((c) => c.items.length)).toEqual([3, 2]);
    expect(clusters[0]!.representative).toBe('电梯坏了找谁修');
  });
});
