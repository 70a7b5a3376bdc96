import { nowIso, type Database } from './database.ts';
import { compiledStatement } from './compiled.ts';

/**
 * An update is marked handled only after its handler ran (issue 13): one that crashed half-way is
 * handled again when Telegram or the inbox hands it out again, and every handler with an effect is
 * idempotent (a tip already stored answers with its tracking number).
 */
export interface UpdateDedupe {
  /** True when this update id was already handled: a redelivery, which must have no effect. */
  seen(updateId: number): Promise<boolean>;
  mark(updateId: number): Promise<void>;
}

/** Remembers processed update ids in the database; ids older than `keep` are pruned now and then. */
export function createUpdateDedupe(database: Database, keep = 100_000): UpdateDedupe {
  const { db } = database;
  let sincePrune = 0;
  const insert = compiledStatement(database, () =>
    db.insertInto('processed_updates').values({ update_id: 0, created_at: '' }).onConflict((oc) => oc.column('update_id').doNothing()),
  );
  return {
    async seen(updateId) {
      return !!(await db.selectFrom('processed_updates').select('update_id').where('update_id', '=', updateId).executeTakeFirst());
    },
    async mark(updateId) {
      await insert([updateId, nowIso()]);
      if (++sincePrune >= 1000) {
        sincePrune = 0;
        await db.deleteFrom('processed_updates').where('update_id', '<', updateId - keep).execute();
      }
    },
  };
}
