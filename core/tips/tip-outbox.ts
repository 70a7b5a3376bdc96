import type { Database } from '../storage/database.ts';
import { AWAITING_STATUSES, TIP_LIMITS } from './tip-model.ts';

export type NoticeSide = 'reporter' | 'staff';
export type NoticeOutcome = 'sent' | 'undeliverable' | 'unlinked' | 'skipped';

export interface OutboxEvent {
  readonly id: number;
  readonly tipId: number;
  readonly action: string;
  readonly note?: string;
  readonly departmentId?: string;
  readonly statusAfter: string;
}

/**
 * The tip_events outbox. A processor claims an event before sending (so two workers, or a retry racing
 * the first attempt, do not both send), then settles it. A claim older than `staleMs` is taken to be
 * from a crashed worker and may be claimed again: a message can then go out twice, but never zero times.
 */
/**
 * A claim is a short lease, renewed while the send is under way (the send path may retry a notice for
 * up to two minutes): a worker killed mid-send holds an event back for seconds, not minutes.
 */
export const CLAIM_LEASE_MS = 20_000;
export const CLAIM_RENEW_MS = 5_000;

export interface TipOutbox {
  claim(eventId: number, side: NoticeSide, staleMs?: number): Promise<OutboxEvent | undefined>;
  settle(eventId: number, side: NoticeSide, outcome: NoticeOutcome, staffMessageId?: number): Promise<void>;
  /** Keeps a claim alive while its send is still under way (see CLAIM_LEASE_MS). */
  renew(eventId: number, side: NoticeSide): Promise<void>;
  /** True while an unexpired claim is held (another attempt is sending it right now). */
  isClaimed(eventId: number, side: NoticeSide, staleMs?: number): Promise<boolean>;
  /** Gives a claim back (the send failed in a way worth retrying). */
  release(eventId: number, side: NoticeSide): Promise<void>;
  /** Event ids still waiting to be sent, for the sweep that re-enqueues lost jobs. */
  pending(side: NoticeSide, olderThanMs: number, limit?: number): Promise<number[]>;
  /** The reporter's chat for updates, if the tip is still linked to one. */
  reporterChat(tipId: number): Promise<number | undefined>;
  markUndeliverable(tipId: number): Promise<void>;
  /** Tips waiting for a first staff action for 24 hours and not re-posted in the last 24 hours. */
  overdueCandidates(limit?: number): Promise<number[]>;
  /** Marks one tip overdue (once per 24 hours) and adds the staff re-post event; undefined if not due. */
  markOverdue(tipId: number): Promise<number | undefined>;
  /** When the tip becomes (or next becomes) overdue, in ms; undefined while it is not waiting for staff. */
  overdueAt(tipId: number): Promise<number | undefined>;
}

export function createTipOutbox(database: Database, now: () => number = Date.now): TipOutbox {
  const { db } = database;
  const col = (side: NoticeSide) => (side === 'reporter' ? 'reporter_notice' : 'staff_notice') as 'reporter_notice' | 'staff_notice';
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    async claim(eventId, side, staleMs = CLAIM_LEASE_MS) {
      const c = col(side);
      const r = await db.updateTable('tip_events')
        .set({ [c]: 'sending', notice_claimed_at: iso(now()) })
        .where('id', '=', eventId)
        .where((eb) => eb.or([eb(c, '=', 'pending'), eb.and([eb(c, '=', 'sending'), eb('notice_claimed_at', '<', iso(now() - staleMs))])]))
        .returning(['id', 'tip_id', 'action', 'note', 'department_id', 'status_after'])
        .executeTakeFirst();
      if (!r) return undefined;
      return {
        id: r.id, tipId: r.tip_id, action: r.action, statusAfter: r.status_after,
        ...(r.note !== null ? { note: r.note } : {}), ...(r.department_id !== null ? { departmentId: r.department_id } : {}),
      };
    },
    async renew(eventId, side) {
      await db.updateTable('tip_events').set({ notice_claimed_at: iso(now()) }).where('id', '=', eventId).where(col(side), '=', 'sending').execute();
    },
    async isClaimed(eventId, side, staleMs = CLAIM_LEASE_MS) {
      const r = await db.selectFrom('tip_events').select('id').where('id', '=', eventId).where(col(side), '=', 'sending')
        .where('notice_claimed_at', '>=', iso(now() - staleMs)).executeTakeFirst();
      return !!r;
    },
    async settle(eventId, side, outcome, staffMessageId) {
      await db.updateTable('tip_events')
        .set({ [col(side)]: outcome, ...(staffMessageId !== undefined ? { staff_message_id: staffMessageId } : {}) })
        .where('id', '=', eventId).execute();
    },
    async release(eventId, side) {
      await db.updateTable('tip_events').set({ [col(side)]: 'pending', notice_claimed_at: null }).where('id', '=', eventId).where(col(side), '=', 'sending').execute();
    },
    async pending(side, olderThanMs, limit = 100) {
      const c = col(side);
      const cutoff = iso(now() - olderThanMs);
      const rows = await db.selectFrom('tip_events').select('id')
        .where((eb) => eb.or([eb(c, '=', 'pending'), eb(c, '=', 'sending')]))
        .where((eb) => eb.or([eb('notice_claimed_at', 'is', null), eb('notice_claimed_at', '<', cutoff)]))
        .where('created_at', '<', cutoff).orderBy('id').limit(limit).execute();
      return rows.map((r) => r.id);
    },
    async reporterChat(tipId) {
      const r = await db.selectFrom('tip_reporters').select('chat_id').where('tip_id', '=', tipId).executeTakeFirst();
      return r?.chat_id;
    },
    async markUndeliverable(tipId) {
      await db.updateTable('tip_reporters').set({ undeliverable_at: iso(now()) }).where('tip_id', '=', tipId).execute();
    },
    async overdueCandidates(limit = 100) {
      const due = iso(now() - TIP_LIMITS.overdueMs);
      const rows = await db.selectFrom('tips').select('id')
        .where('status', 'in', [...AWAITING_STATUSES]).where('awaiting_since', '<=', due)
        .where((eb) => eb.or([eb('overdue_posted_at', 'is', null), eb('overdue_posted_at', '<=', due)]))
        .orderBy('id').limit(limit).execute();
      return rows.map((r) => r.id);
    },
    async overdueAt(tipId) {
      const r = await db.selectFrom('tips').select(['status', 'awaiting_since', 'overdue_posted_at']).where('id', '=', tipId).executeTakeFirst();
      if (!r?.awaiting_since || !(AWAITING_STATUSES as readonly string[]).includes(r.status)) return undefined;
      return Math.max(Date.parse(r.awaiting_since), r.overdue_posted_at ? Date.parse(r.overdue_posted_at) : 0) + TIP_LIMITS.overdueMs;
    },
    markOverdue: (tipId) => db.transaction().execute(async (trx) => {
      const at = iso(now());
      const due = iso(now() - TIP_LIMITS.overdueMs);
      const r = await trx.updateTable('tips').set({ overdue_posted_at: at })
        .where('id', '=', tipId).where('status', 'in', [...AWAITING_STATUSES]).where('awaiting_since', '<=', due)
        .where((eb) => eb.or([eb('overdue_posted_at', 'is', null), eb('overdue_posted_at', '<=', due)]))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) return undefined;
      const tip = await trx.selectFrom('tips').select('status').where('id', '=', tipId).executeTakeFirstOrThrow();
      const ev = await trx.insertInto('tip_events').values({
        tip_id: tipId, action: 'overdue', actor: 'system', staff_id: null, note: null, department_id: null, status_after: tip.status,
        reporter_notice: null, staff_notice: 'pending', notice_claimed_at: null, staff_message_id: null, created_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      return ev.id;
    }),
  };
}
