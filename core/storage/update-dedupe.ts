import { nowIso, type Database } from './database.ts';
import { compiledStatement } from './compiled.ts';

export interface UpdateDedupe {
  /** True the first time an update id is seen; false for a redelivery, which must have no effect. */
  firstTime(updateId: number): Promise<boolean>;
}

/** Remembers processed update ids in the database; ids older than `keep` are pruned now and then. */
export function createUpdateDedupe(database: Database, keep = 100_000): UpdateDedupe {
  const { db } = database;
  let sincePrune = 0;
  const insert = compiledStatement(database, () =>
    db.insertInto('processed_updates').values({ update_id: 0, created_at: '' }).onConflict((oc) => oc.column('update_id').doNothing()),
  );
  return {
    async firstTime(updateId) {
      const r = await insert([updateId, nowIso()]);
      if (++sincePrune >= 1000) {
        sincePrune = 0;
        await db.deleteFrom('processed_updates').where('update_id', '<', updateId - keep).execute();
      }
      return Number(r.numAffectedRows ?? 0n) > 0;
    },
  };
}
