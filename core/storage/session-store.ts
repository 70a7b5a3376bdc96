import { nowIso, type Database } from './database.ts';
import { compiledStatement } from './compiled.ts';

/** The shape telegraf's session middleware expects of a store. */
export interface SessionStore<T> {
  get(key: string): Promise<T | undefined>;
  set(key: string, value: T): Promise<void>;
  delete(key: string): Promise<void>;
}

/** Sessions in the SQLite database on the embedded default. */
export function createSqlSessionStore<T>(database: Database): SessionStore<T> {
  const { db } = database;
  // Read on every update: compiled once.
  const select = compiledStatement(database, () => db.selectFrom('sessions').select('value').where('key', '=', ''));
  return {
    async get(key) {
      const row = (await select([key])).rows[0];
      return row ? (JSON.parse(row.value) as T) : undefined;
    },
    async set(key, value) {
      const v = JSON.stringify(value);
      await db
        .insertInto('sessions')
        .values({ key, value: v, updated_at: nowIso() })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: v, updated_at: nowIso() }))
        .execute();
    },
    async delete(key) {
      await db.deleteFrom('sessions').where('key', '=', key).execute();
    },
  };
}

/**
 * telegraf writes a session back whenever a handler so much as reads it, which is every text message
 * (each flow checks whether it is active): a write per question. This store remembers what it last
 * read or wrote per key (bounded) and skips writes that would change nothing, including the empty
 * default of a chat that never had a session.
 */
export function skipUnchangedWrites<T>(store: SessionStore<T>, max = 10_000): SessionStore<T> {
  const EMPTY = '{}';
  const known = new Map<string, string>();
  const remember = (key: string, json: string): void => {
    known.delete(key);
    if (known.size >= max) known.delete(known.keys().next().value!);
    known.set(key, json);
  };
  return {
    async get(key) {
      const value = await store.get(key);
      remember(key, value === undefined ? EMPTY : JSON.stringify(value));
      return value;
    },
    async set(key, value) {
      const json = JSON.stringify(value);
      if (known.get(key) === json) return;
      await store.set(key, value);
      remember(key, json);
    },
    async delete(key) {
      known.delete(key);
      await store.delete(key);
    },
  };
}
