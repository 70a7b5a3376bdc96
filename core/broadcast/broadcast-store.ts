import { randomBytes } from 'node:crypto';
import { nowIso, type Database } from '../storage/database.ts';
import type { AlertPayload, BroadcastPayload, DailyPayload } from './daily-payload.ts';

/** One broadcast: a day's script or an urgent alert, with what exactly it sends. */
export interface StoredBroadcast<P extends BroadcastPayload = BroadcastPayload> {
  readonly id: number;
  readonly kind: P['kind'];
  /** The Asia/Shanghai day it belongs to (alerts: the day they were sent). */
  readonly date: string;
  readonly payload: P;
  readonly createdBy: number | null;
  readonly createdAt: string;
  readonly completedAt: string | null;
}

export interface UrgentScript {
  readonly date: string;
  readonly text: string;
  readonly setBy: number;
  readonly setAt: string;
}

export interface BroadcastStore {
  daily(date: string): Promise<StoredBroadcast<DailyPayload> | undefined>;
  /**
   * The day's broadcast, written on first call with `build(urgentText)`; later calls (a retry, a
   * second worker) get the stored row, so the day's text never changes once delivery began.
   */
  ensureDaily(date: string, build: (urgentText: string | undefined) => DailyPayload): Promise<StoredBroadcast<DailyPayload>>;
  createAlert(date: string, text: string, staffId: number): Promise<StoredBroadcast<AlertPayload>>;
  get(id: number): Promise<StoredBroadcast | undefined>;
  complete(id: number): Promise<void>;
  /** Broadcasts on or after `sinceDate` whose fan-out has not finished (recovery after downtime). */
  unfinished(sinceDate: string): Promise<StoredBroadcast[]>;
  latestAlerts(limit: number): Promise<StoredBroadcast<AlertPayload>[]>;
  urgent(date: string): Promise<UrgentScript | undefined>;
  /** Refused ('delivered') once the day's broadcast has begun: what went out stays what went out. */
  setUrgent(date: string, text: string, staffId: number): Promise<'set' | 'delivered'>;
  clearUrgent(date: string): Promise<'cleared' | 'none' | 'delivered'>;
}

type Row = { id: number; kind: string; date: string; payload: string; created_by: number | null; created_at: string; completed_at: string | null };

function toStored<P extends BroadcastPayload>(r: Row): StoredBroadcast<P> {
  const payload = JSON.parse(r.payload) as P;
  return { id: r.id, kind: payload.kind, date: r.date, payload, createdBy: r.created_by, createdAt: r.created_at, completedAt: r.completed_at };
}

const dailySlot = (date: string): string => `daily:${date}`;

export function createBroadcastStore(database: Database): BroadcastStore {
  const { db } = database;
  const columns = ['id', 'kind', 'date', 'payload', 'created_by', 'created_at', 'completed_at'] as const;
  const bySlot = async (slot: string): Promise<Row | undefined> =>
    db.selectFrom('broadcast_scripts').select(columns).where('slot', '=', slot).executeTakeFirst();

  return {
    async daily(date) {
      const r = await bySlot(dailySlot(date));
      return r && toStored<DailyPayload>(r);
    },
    async ensureDaily(date, build) {
      const existing = await bySlot(dailySlot(date));
      if (existing) return toStored<DailyPayload>(existing);
      return db.transaction().execute(async (trx) => {
        const urgent = await trx.selectFrom('broadcast_urgent').select('text').where('date', '=', date).executeTakeFirst();
        const payload = build(urgent?.text);
        await trx
          .insertInto('broadcast_scripts')
          .values({ slot: dailySlot(date), kind: 'daily', date, urgent: payload.urgent ? 1 : 0, payload: JSON.stringify(payload), created_by: null, created_at: nowIso(), completed_at: null })
          .onConflict((oc) => oc.column('slot').doNothing())
          .execute();
        const row = await trx.selectFrom('broadcast_scripts').select(columns).where('slot', '=', dailySlot(date)).executeTakeFirstOrThrow();
        return toStored<DailyPayload>(row);
      });
    },
    async createAlert(date, text, staffId) {
      const payload: AlertPayload = { kind: 'alert', text };
      const row = await db
        .insertInto('broadcast_scripts')
        .values({ slot: `alert:${randomBytes(8).toString('hex')}`, kind: 'alert', date, urgent: 1, payload: JSON.stringify(payload), created_by: staffId, created_at: nowIso(), completed_at: null })
        .returning(columns)
        .executeTakeFirstOrThrow();
      return toStored<AlertPayload>(row);
    },
    async get(id) {
      const r = await db.selectFrom('broadcast_scripts').select(columns).where('id', '=', id).executeTakeFirst();
      return r && toStored(r);
    },
    async complete(id) {
      await db.updateTable('broadcast_scripts').set({ completed_at: nowIso() }).where('id', '=', id).where('completed_at', 'is', null).execute();
    },
    async unfinished(sinceDate) {
      const rows = await db.selectFrom('broadcast_scripts').select(columns).where('completed_at', 'is', null).where('date', '>=', sinceDate).orderBy('id').execute();
      return rows.map((r) => toStored(r));
    },
    async latestAlerts(limit) {
      const rows = await db.selectFrom('broadcast_scripts').select(columns).where('kind', '=', 'alert').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => toStored<AlertPayload>(r));
    },
    async urgent(date) {
      const r = await db.selectFrom('broadcast_urgent').selectAll().where('date', '=', date).executeTakeFirst();
      return r && { date: r.date, text: r.text, setBy: r.set_by, setAt: r.set_at };
    },
    async setUrgent(date, text, staffId) {
      return db.transaction().execute(async (trx) => {
        const delivered = await trx.selectFrom('broadcast_scripts').select('id').where('slot', '=', dailySlot(date)).executeTakeFirst();
        if (delivered) return 'delivered' as const;
        const values = { text, set_by: staffId, set_at: nowIso() };
        await trx.insertInto('broadcast_urgent').values({ date, ...values }).onConflict((oc) => oc.column('date').doUpdateSet(values)).execute();
        return 'set' as const;
      });
    },
    async clearUrgent(date) {
      return db.transaction().execute(async (trx) => {
        const delivered = await trx.selectFrom('broadcast_scripts').select('id').where('slot', '=', dailySlot(date)).executeTakeFirst();
        if (delivered) return 'delivered' as const;
        const r = await trx.deleteFrom('broadcast_urgent').where('date', '=', date).executeTakeFirst();
        return Number(r.numDeletedRows) > 0 ? ('cleared' as const) : ('none' as const);
      });
    },
  };
}
