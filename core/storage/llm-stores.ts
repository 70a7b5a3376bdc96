import type { LlmUsageStore } from '../llm/token-budget.ts';
import type { ScriptRewriteStore } from '../llm/rewrite-script.ts';
import { nowIso, type Database } from './database.ts';

/** Daily token usage in the database, so the budget is shared by every process and survives restarts. */
export function createSqlUsageStore(database: Database): LlmUsageStore {
  const { db } = database;
  const ensure = (day: string) =>
    db.insertInto('llm_usage').values({ day, tokens: 0, noticed: 0, updated_at: nowIso() }).onConflict((oc) => oc.column('day').doNothing()).execute();
  return {
    async used(day) {
      const row = await db.selectFrom('llm_usage').select('tokens').where('day', '=', day).executeTakeFirst();
      return row?.tokens ?? 0;
    },
    async add(day, tokens) {
      await db
        .insertInto('llm_usage')
        .values({ day, tokens, noticed: 0, updated_at: nowIso() })
        .onConflict((oc) => oc.column('day').doUpdateSet((eb) => ({ tokens: eb('llm_usage.tokens', '+', eb.ref('excluded.tokens')), updated_at: nowIso() })))
        .execute();
      const row = await db.selectFrom('llm_usage').select('tokens').where('day', '=', day).executeTakeFirstOrThrow();
      return row.tokens;
    },
    async claimNotice(day) {
      await ensure(day);
      const r = await db.updateTable('llm_usage').set({ noticed: 1 }).where('day', '=', day).where('noticed', '=', 0).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}

/** Broadcast rewrites by date and source text; the primary key lets only the first outcome in. */
export function createSqlRewriteStore(database: Database): ScriptRewriteStore {
  const { db } = database;
  const get = async (date: string, sourceHash: string) => {
    const row = await db.selectFrom('script_rewrites').select(['text', 'reason']).where('date', '=', date).where('source_hash', '=', sourceHash).executeTakeFirst();
    return row ? { text: row.text, reason: row.reason } : undefined;
  };
  return {
    get,
    async putFirst(date, sourceHash, outcome) {
      await db
        .insertInto('script_rewrites')
        .values({ date, source_hash: sourceHash, text: outcome.text, reason: outcome.reason.slice(0, 500), created_at: nowIso() })
        .onConflict((oc) => oc.columns(['date', 'source_hash']).doNothing())
        .execute();
      return (await get(date, sourceHash)) ?? outcome;
    },
  };
}
