import { sql } from 'kysely';
import type { Database, Db } from '../storage/database.ts';
import type { FieldCipher } from '../storage/field-cipher.ts';
import { TIP_LIMITS, OPEN_STATUSES, type Tip, type TipDraft } from './tip-model.ts';
import { formatTrackingNo, localDay, TIP_TIMEZONE } from './tracking.ts';
import { textSimilarity } from './similarity.ts';
import { Rollback, selectTips, toTip, withRollback } from './tip-rows.ts';

export type CreateResult =
  | { readonly kind: 'created'; readonly tip: Tip; readonly eventId: number }
  /** The same submission (double tap, replay) was already stored: nothing new was made. */
  | { readonly kind: 'exists'; readonly tip: Tip }
  | { readonly kind: 'limit' }
  /** Real-name details cannot be stored safely without DATA_KEY. */
  | { readonly kind: 'no-cipher' };

export type ReporterChangeResult =
  | { readonly kind: 'ok'; readonly tip: Tip; readonly eventId: number }
  | { readonly kind: 'not-found' | 'not-open' | 'not-closed' | 'reopen-used' };

export interface TipStore {
  /** Commits the tip, its reporter link and its first outbox event in one transaction. */
  create(draft: TipDraft, chatId: number): Promise<CreateResult>;
  get(id: number): Promise<Tip | undefined>;
  /** The tip made from this draft, if it is this reporter's (a double tap on 确认提交 finds it). */
  bySubmissionKey(key: string, chatId: number): Promise<Tip | undefined>;
  /** The reporter's own tips (still linked), newest first. */
  listForReporter(chatId: number, limit?: number): Promise<Tip[]>;
  countToday(chatId: number): Promise<number>;
  addInfo(tipId: number, chatId: number, text: string): Promise<ReporterChangeResult>;
  /** "Not fixed": a closed tip goes back to staff, once. */
  reopen(tipId: number, chatId: number): Promise<ReporterChangeResult>;
}

export interface TipStoreOptions {
  readonly cipher?: FieldCipher;
  readonly now?: () => number;
  readonly timeZone?: string;
}

export const contactContext = (tipId: number): string => `tip.contact:${tipId}`;

/** Tips as the reporter side sees them. Every write is one transaction; nothing is half-stored. */
export function createTipStore(database: Database, options: TipStoreOptions = {}): TipStore {
  const { db } = database;
  const now = options.now ?? Date.now;
  const tz = options.timeZone ?? TIP_TIMEZONE;
  const get = async (id: number): Promise<Tip | undefined> => {
    const r = await selectTips(db).where('tips.id', '=', id).executeTakeFirst();
    return r ? toTip(r) : undefined;
  };
  const linked = (trx: Db, tipId: number, chatId: number) =>
    selectTips(trx).innerJoin('tip_reporters as r', 'r.tip_id', 'tips.id').where('tips.id', '=', tipId).where('r.chat_id', '=', chatId).executeTakeFirst();

  return {
    get,
    async bySubmissionKey(key, chatId) {
      const r = await selectTips(db).innerJoin('tip_reporters as r', 'r.tip_id', 'tips.id')
        .where('tips.submission_key', '=', key).where('r.chat_id', '=', chatId).executeTakeFirst();
      return r ? toTip(r) : undefined;
    },
    create: (draft, chatId) => withRollback(() => db.transaction().execute(async (trx): Promise<CreateResult> => {
      if (draft.contact && !options.cipher) return { kind: 'no-cipher' };
      const nowMs = now();
      const at = new Date(nowMs).toISOString();
      const day = localDay(nowMs, tz);
      // Write first, so the transaction holds SQLite's write lock before it reads: two processes
      // confirming at once queue here instead of deadlocking on a read-to-write upgrade.
      const { seq } = await trx
        .insertInto('tip_counters').values({ day, seq: 1 })
        .onConflict((oc) => oc.column('day').doUpdateSet({ seq: sql<number>`tip_counters.seq + 1` }))
        .returning('seq').executeTakeFirstOrThrow();
      const prior = await selectTips(trx).where('tips.submission_key', '=', draft.submissionKey).executeTakeFirst();
      if (prior) throw new Rollback<CreateResult>({ kind: 'exists', tip: toTip(prior) });
      const { n } = await trx.selectFrom('tip_reporters').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('chat_id', '=', chatId).where('day', '=', day).executeTakeFirstOrThrow();
      if (Number(n) >= TIP_LIMITS.perReporterPerDay) throw new Rollback<CreateResult>({ kind: 'limit' });
      const duplicateOf = await findSimilar(trx, draft, new Date(nowMs - TIP_LIMITS.duplicateDays * 86_400_000).toISOString());
      const { id } = await trx.insertInto('tips').values({
        tracking_no: formatTrackingNo(day, seq), submission_key: draft.submissionKey, day,
        area_id: draft.areaId, practice_id: draft.practiceId ?? null, description: draft.description,
        town_id: draft.townId ?? null, address: draft.address ?? null,
        latitude: draft.location?.latitude ?? null, longitude: draft.location?.longitude ?? null,
        photos: JSON.stringify(draft.photos.slice(0, TIP_LIMITS.photosMax)), real_name: draft.contact ? 1 : 0,
        status: 'new', version: 1, department_id: null, result_note: null, duplicate_of: duplicateOf ?? null,
        staff_marked_duplicate: 0, reopen_count: 0, awaiting_since: at, last_staff_action_at: null, overdue_posted_at: null,
        created_at: at, updated_at: at, closed_at: null,
      }).returning('id').executeTakeFirstOrThrow();
      const contact = draft.contact && options.cipher ? options.cipher.encrypt(JSON.stringify(draft.contact), contactContext(id)) : null;
      await trx.insertInto('tip_reporters').values({ tip_id: id, chat_id: chatId, day, contact_enc: contact, undeliverable_at: null, created_at: at }).execute();
      const event = await trx.insertInto('tip_events').values({
        tip_id: id, action: 'created', actor: 'reporter', staff_id: null, note: null, department_id: null, status_after: 'new',
        reporter_notice: null, staff_notice: 'pending', notice_claimed_at: null, staff_message_id: null, created_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      const row = await selectTips(trx).where('tips.id', '=', id).executeTakeFirstOrThrow();
      return { kind: 'created', tip: toTip(row), eventId: event.id };
    })),
    async listForReporter(chatId, limit = 10) {
      const rows = await selectTips(db).innerJoin('tip_reporters as r', 'r.tip_id', 'tips.id')
        .where('r.chat_id', '=', chatId).orderBy('tips.id', 'desc').limit(limit).execute();
      return rows.map(toTip);
    },
    async countToday(chatId) {
      const { n } = await db.selectFrom('tip_reporters').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('chat_id', '=', chatId).where('day', '=', localDay(now(), tz)).executeTakeFirstOrThrow();
      return Number(n);
    },
    addInfo: (tipId, chatId, text) => withRollback(() => db.transaction().execute(async (trx): Promise<ReporterChangeResult> => {
      const at = new Date(now()).toISOString();
      // Touch the tip first (write lock before reads, as in create); rolled back when the tip is not open.
      await trx.updateTable('tips').set({ updated_at: at }).where('id', '=', tipId).execute();
      const row = await linked(trx, tipId, chatId);
      if (!row) throw new Rollback<ReporterChangeResult>({ kind: 'not-found' });
      const tip = toTip(row);
      if (!OPEN_STATUSES.includes(tip.status)) throw new Rollback<ReporterChangeResult>({ kind: 'not-open' });
      const ev = await trx.insertInto('tip_events').values({
        tip_id: tipId, action: 'info', actor: 'reporter', staff_id: null, note: text, department_id: null, status_after: tip.status,
        reporter_notice: null, staff_notice: 'pending', notice_claimed_at: null, staff_message_id: null, created_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      return { kind: 'ok', tip, eventId: ev.id };
    })),
    reopen: (tipId, chatId) => withRollback(() => db.transaction().execute(async (trx): Promise<ReporterChangeResult> => {
      const at = new Date(now()).toISOString();
      const r = await trx.updateTable('tips')
        .set((eb) => ({ status: 'reopened', version: eb('version', '+', 1), reopen_count: eb('reopen_count', '+', 1), awaiting_since: at, overdue_posted_at: null, closed_at: null, updated_at: at }))
        .where('id', '=', tipId).where('status', '=', 'closed').where('reopen_count', '<', TIP_LIMITS.reopenMax)
        .where((eb) => eb.exists(eb.selectFrom('tip_reporters').select('tip_id').where('tip_id', '=', tipId).where('chat_id', '=', chatId)))
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        const row = await linked(trx, tipId, chatId);
        if (!row) return { kind: 'not-found' };
        return { kind: toTip(row).status !== 'closed' ? 'not-closed' : 'reopen-used' };
      }
      const ev = await trx.insertInto('tip_events').values({
        tip_id: tipId, action: 'reopened', actor: 'reporter', staff_id: null, note: null, department_id: null, status_after: 'reopened',
        reporter_notice: null, staff_notice: 'pending', notice_claimed_at: null, staff_message_id: null, created_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      const row = await selectTips(trx).where('tips.id', '=', tipId).executeTakeFirstOrThrow();
      return { kind: 'ok', tip: toTip(row), eventId: ev.id };
    })),
  };
}

/** The earliest tip in the same practice (or area, for "other") and town with similar text. */
async function findSimilar(trx: Db, draft: TipDraft, since: string): Promise<number | undefined> {
  if (!draft.townId) return undefined;
  let q = trx.selectFrom('tips').select(['id', 'description']).where('town_id', '=', draft.townId).where('created_at', '>=', since);
  q = draft.practiceId ? q.where('practice_id', '=', draft.practiceId) : q.where('practice_id', 'is', null).where('area_id', '=', draft.areaId);
  const rows = await q.orderBy('id', 'asc').limit(200).execute();
  return rows.find((r) => textSimilarity(r.description, draft.description) >= TIP_LIMITS.duplicateSimilarity)?.id;
}
