import { CompiledQuery, type Compilable, type QueryResult } from 'kysely';
import type { Database } from './database.ts';

/**
 * For statements on the per-update hot path: the query is built once with placeholder values so the
 * dialect produces its SQL, then each call runs that SQL with fresh parameters, in the order the
 * builder listed them. Keeps the SQL dialect-neutral while taking the builder and compiler off the
 * hot path. On the embedded SQLite file the statement is also prepared once and run synchronously,
 * skipping the builder's connection queue (measured: the queue and re-preparing cost more than the
 * insert itself); writes go through the group commit below. Callers must not depend on ordering
 * against queued builder queries.
 */
export function compiledStatement<R>(database: Database, build: () => Compilable<R>): (params: readonly unknown[]) => Promise<QueryResult<R>> {
  const { sql } = build().compile();
  const queued = (params: readonly unknown[]) => database.db.executeQuery<R>(CompiledQuery.raw(sql, [...params]));
  const { sqlite, groupCommit } = database;
  if (!sqlite || !groupCommit) return queued;
  const stmt = sqlite.prepare(sql);
  const direct = (params: readonly unknown[]): QueryResult<R> => {
    if (stmt.reader) return { rows: stmt.all(...params) as R[] };
    const r = stmt.run(...params);
    return { rows: [], numAffectedRows: BigInt(r.changes), insertId: BigInt(r.lastInsertRowid) };
  };
  return async (params) => {
    // A transaction someone holds open across awaits would swallow a direct statement: wait in the queue.
    if (sqlite.inTransaction) return queued(params);
    return stmt.readonly ? direct(params) : groupCommit({ direct: () => direct(params), queued: () => queued(params) });
  };
}
