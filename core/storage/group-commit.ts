import type SQLite from 'better-sqlite3';

export interface GroupedWrite<T> {
  /** Runs the statement on the connection, synchronously. */
  readonly direct: () => T;
  /** The same statement through the builder's queue, for when a transaction is open at flush time. */
  readonly queued: () => Promise<T>;
}

export type GroupCommit = <T>(write: GroupedWrite<T>) => Promise<T>;

/**
 * Group commit: writes issued in the same turn of the event loop (one per concurrent update: the
 * dedupe mark, the question log) are committed together in one transaction on the next turn, and each
 * caller's promise settles only after that commit, so nothing is acknowledged before it is durable.
 * A commit costs about 4x a statement inside a transaction (measured 16 µs vs 4 µs per insert).
 * A statement that fails rolls back alone (SQLite's statement-level atomicity) and only its caller sees
 * the error; a failed commit fails the whole batch.
 */
export function createGroupCommit(sqlite: SQLite.Database): GroupCommit {
  type Item = { write: GroupedWrite<unknown>; resolve: (v: unknown) => void; reject: (e: unknown) => void };
  let pending: Item[] = [];
  const flush = (): void => {
    const batch = pending;
    pending = [];
    if (sqlite.inTransaction) {
      for (const item of batch) item.write.queued().then(item.resolve, item.reject);
      return;
    }
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      sqlite.exec('BEGIN');
      for (const item of batch) {
        try {
          results.push({ ok: true, value: item.write.direct() });
        } catch (err) {
          results.push({ ok: false, value: err });
        }
      }
      sqlite.exec('COMMIT');
    } catch (err) {
      // This runs from setImmediate: a throw here would take the process down, so a failed rollback is
      // only reported through the callers' rejections.
      try {
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
      } catch {
        /* the connection rolls back by itself when the transaction cannot continue */
      }
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => (results[i]!.ok ? item.resolve(results[i]!.value) : item.reject(results[i]!.value)));
  };
  return <T>(write: GroupedWrite<T>) =>
    new Promise<T>((resolve, reject) => {
      if (!pending.length) setImmediate(flush);
      pending.push({ write, resolve: resolve as (v: unknown) => void, reject });
    });
}
