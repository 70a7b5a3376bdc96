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
  const select = compiledStatement(db, () => db.selectFrom('sessions').select('value').where('key', '=', ''));
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
