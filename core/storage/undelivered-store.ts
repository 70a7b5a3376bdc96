import type { Database } from './database.ts';

export interface Undelivered {
  readonly chatId: number;
  readonly updateId?: number;
  readonly method: string;
  readonly priority: string;
  readonly reason: string;
}

export interface UndeliveredRecord extends Undelivered {
  readonly id: number;
  readonly createdAt: string;
}

export interface UndeliveredStore {
  record(u: Undelivered): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<UndeliveredRecord[]>;
}

/** What the send path could not deliver, for staff to follow up (see migration 006). */
export function createUndeliveredStore(database: Database): UndeliveredStore {
  const { db } = database;
  return {
    async record(u) {
      await db.insertInto('undelivered_sends').values({
        chat_id: u.chatId, update_id: u.updateId ?? null, method: u.method, priority: u.priority, reason: u.reason.slice(0, 300),
      }).execute();
    },
    async recent(limit) {
      const rows = await db.selectFrom('undelivered_sends').selectAll().orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: r.id, chatId: r.chat_id, ...(r.update_id === null ? {} : { updateId: r.update_id }), method: r.method, priority: r.priority,
        reason: r.reason, createdAt: r.created_at,
      }));
    },
  };
}
