import { sql } from 'kysely';
import { nowIso, type Database } from '../storage/database.ts';
import type { SubscriberRole } from './subscribers.ts';

/**
 * pending → sending → sent | failed | blocked; a row still `sending` when a worker starts belonged to
 * a worker that died mid-send: Telegram may or may not have the message, so it becomes `unknown` and
 * is never sent again (at most once beats at least once for a loudspeaker script).
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'blocked' | 'unknown';

export interface Delivery {
  readonly id: number;
  readonly chatId: number;
  readonly role: SubscriberRole;
  readonly townId: string | null;
  readonly attempts: number;
}

export interface DeliveryProgress {
  readonly total: number;
  readonly sent: number;
  readonly failed: number;
  readonly blocked: number;
  readonly unknown: number;
  /** pending + sending */
  readonly remaining: number;
}

export interface Deliveries {
  /** One row per active subscriber of these roles not yet in this broadcast; returns rows added. */
  addAudience(scriptId: number, roles: readonly SubscriberRole[]): Promise<number>;
  /** Marks rows left `sending` by a dead worker as `unknown`; returns how many. */
  settleInDoubt(scriptId: number): Promise<number>;
  /** The next pending rows: operators first, fresh rows before retried ones. */
  nextBatch(scriptId: number, limit: number): Promise<Delivery[]>;
  /** pending → sending, written before the send; false when another worker took the row. */
  claim(id: number): Promise<boolean>;
  finish(id: number, status: 'sent' | 'failed' | 'blocked' | 'unknown', error?: string): Promise<void>;
  /** sending → pending: the message certainly did not go out (429, refused connection, shutdown). */
  release(id: number, error?: string): Promise<void>;
  /** The chat moved (group → supergroup): later sends of this row go to the new id. */
  moveChat(id: number, toChatId: number): Promise<void>;
  progress(scriptId: number): Promise<DeliveryProgress>;
  /** /delete_me: forgets which broadcasts the chat received (a send in flight keeps its row). */
  forgetChat(chatId: number): Promise<number>;
}

export function createDeliveries(database: Database): Deliveries {
  const { db } = database;
  const setStatus = (id: number, status: DeliveryStatus, from: DeliveryStatus, error?: string) =>
    db.updateTable('broadcast_deliveries').set({ status, error: error?.slice(0, 300) ?? null, updated_at: nowIso() }).where('id', '=', id).where('status', '=', from).execute();
  return {
    async addAudience(scriptId, roles) {
      if (roles.length === 0) return 0;
      const r = await db
        .insertInto('broadcast_deliveries')
        .columns(['script_id', 'chat_id', 'role', 'town_id', 'status', 'attempts', 'updated_at'])
        .expression((eb) =>
          eb
            .selectFrom('broadcast_subscribers')
            .select([
              sql.lit(scriptId).as('script_id'), 'chat_id', 'role', 'town_id', sql.lit('pending').as('status'), sql.lit(0).as('attempts'),
              sql.val(nowIso()).as('updated_at'),
            ])
            .where('active', '=', 1)
            .where('role', 'in', [...roles]),
        )
        .onConflict((oc) => oc.columns(['script_id', 'chat_id']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n);
    },
    async settleInDoubt(scriptId) {
      const r = await db
        .updateTable('broadcast_deliveries')
        .set({ status: 'unknown', error: 'worker stopped during the send', updated_at: nowIso() })
        .where('script_id', '=', scriptId)
        .where('status', '=', 'sending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async nextBatch(scriptId, limit) {
      const rows = await db
        .selectFrom('broadcast_deliveries')
        .select(['id', 'chat_id', 'role', 'town_id', 'attempts'])
        .where('script_id', '=', scriptId)
        .where('status', '=', 'pending')
        .orderBy('attempts')
        .orderBy('role')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ id: r.id, chatId: r.chat_id, role: r.role as SubscriberRole, townId: r.town_id, attempts: r.attempts }));
    },
    async claim(id) {
      const r = await db
        .updateTable('broadcast_deliveries')
        .set((eb) => ({ status: 'sending', attempts: eb('attempts', '+', 1), updated_at: nowIso() }))
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async finish(id, status, error) {
      await setStatus(id, status, 'sending', error);
    },
    async release(id, error) {
      await setStatus(id, 'pending', 'sending', error);
    },
    async moveChat(id, toChatId) {
      await db.updateTable('broadcast_deliveries').set({ chat_id: toChatId, updated_at: nowIso() }).where('id', '=', id).execute();
    },
    async forgetChat(chatId) {
      const r = await db.deleteFrom('broadcast_deliveries').where('chat_id', '=', chatId).where('status', '!=', 'sending').executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    async progress(scriptId) {
      const rows = await db
        .selectFrom('broadcast_deliveries')
        .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
        .where('script_id', '=', scriptId)
        .groupBy('status')
        .execute();
      const n = (s: DeliveryStatus): number => Number(rows.find((r) => r.status === s)?.n ?? 0);
      const total = rows.reduce((a, r) => a + Number(r.n), 0);
      return { total, sent: n('sent'), failed: n('failed'), blocked: n('blocked'), unknown: n('unknown'), remaining: n('pending') + n('sending') };
    },
  };
}
