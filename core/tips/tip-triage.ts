import type { Database } from '../storage/database.ts';
import { TRANSITIONS, type StaffAction, type Tip } from './tip-model.ts';
import { Rollback, selectTips, toTip, withRollback } from './tip-rows.ts';

export type StaffActResult =
  | { readonly kind: 'ok'; readonly tip: Tip; readonly eventId: number; readonly notifyReporter: boolean }
  /** The button was made for an older state of the tip (someone else acted first): nothing changed. */
  | { readonly kind: 'stale'; readonly tip?: Tip }
  | { readonly kind: 'not-found' };

export interface StaffPrompt {
  readonly chatId: number;
  readonly messageId: number;
  readonly tipId: number;
  readonly action: 'close' | 'reject';
  readonly version: number;
  readonly cardMessageId?: number;
  readonly staffId: number;
}

export interface TipTriage {
  /** The tip if `action` is allowed on it at exactly `version`; otherwise why not. */
  check(tipId: number, version: number, action: StaffAction): Promise<StaffActResult | { kind: 'allowed'; tip: Tip }>;
  /**
   * Applies a staff action if the tip is still at `version` and the action is allowed from its status
   * (compare-and-set, so two staff pressing at once cannot both change it). Status changes the reporter
   * should hear about get an outbox event with reporter_notice 'pending'.
   */
  act(tipId: number, version: number, action: StaffAction, staffId: number, extra?: { note?: string; departmentId?: string }): Promise<StaffActResult>;
  savePrompt(p: StaffPrompt): Promise<void>;
  /** The prompt a reply answers, if that message is one. */
  findPrompt(chatId: number, messageId: number): Promise<StaffPrompt | undefined>;
  /** Removes an answered prompt; true for the one caller that removed it (two replies at once act once). */
  deletePrompt(chatId: number, messageId: number): Promise<boolean>;
}

export function createTipTriage(database: Database, now: () => number = Date.now): TipTriage {
  const { db } = database;
  return {
    async check(tipId, version, action) {
      const row = await selectTips(db).where('tips.id', '=', tipId).executeTakeFirst();
      if (!row) return { kind: 'not-found' };
      const tip = toTip(row);
      if (tip.version !== version || !TRANSITIONS[action].from.includes(tip.status)) return { kind: 'stale', tip };
      if (action === 'duplicate' && tip.staffMarkedDuplicate) return { kind: 'stale', tip };
      return { kind: 'allowed', tip };
    },
    act: (tipId, version, action, staffId, extra = {}) => withRollback(() => db.transaction().execute(async (trx): Promise<StaffActResult> => {
      const at = new Date(now()).toISOString();
      const t = TRANSITIONS[action];
      const to = t.to;
      let q = trx.updateTable('tips')
        .set((eb) => ({
          version: eb('version', '+', 1), updated_at: at, last_staff_action_at: at, awaiting_since: null,
          ...(to ? { status: to } : { staff_marked_duplicate: 1 }),
          ...(action === 'transfer' ? { department_id: extra.departmentId ?? null } : {}),
          ...(action === 'close' || action === 'reject' ? { result_note: extra.note ?? null, closed_at: at } : {}),
        }))
        .where('id', '=', tipId).where('version', '=', version).where('status', 'in', [...t.from]);
      if (action === 'duplicate') q = q.where('staff_marked_duplicate', '=', 0);
      const r = await q.executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) {
        const row = await selectTips(trx).where('tips.id', '=', tipId).executeTakeFirst();
        throw new Rollback<StaffActResult>(row ? { kind: 'stale', tip: toTip(row) } : { kind: 'not-found' });
      }
      const row = await selectTips(trx).where('tips.id', '=', tipId).executeTakeFirstOrThrow();
      const tip = toTip(row);
      const notifyReporter = to !== undefined;
      const ev = await trx.insertInto('tip_events').values({
        tip_id: tipId, action, actor: 'staff', staff_id: staffId, note: extra.note ?? null, department_id: extra.departmentId ?? null,
        status_after: tip.status, reporter_notice: notifyReporter ? 'pending' : null, staff_notice: null,
        notice_claimed_at: null, staff_message_id: null, created_at: at,
      }).returning('id').executeTakeFirstOrThrow();
      return { kind: 'ok', tip, eventId: ev.id, notifyReporter };
    })),
    async savePrompt(p) {
      await db.insertInto('tip_prompts').values({
        chat_id: p.chatId, message_id: p.messageId, tip_id: p.tipId, action: p.action, version: p.version,
        card_message_id: p.cardMessageId ?? null, staff_id: p.staffId, created_at: new Date(now()).toISOString(),
      }).onConflict((oc) => oc.columns(['chat_id', 'message_id']).doNothing()).execute();
    },
    async deletePrompt(chatId, messageId) {
      const r = await db.deleteFrom('tip_prompts').where('chat_id', '=', chatId).where('message_id', '=', messageId).executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    async findPrompt(chatId, messageId) {
      const row = await db.selectFrom('tip_prompts').selectAll().where('chat_id', '=', chatId).where('message_id', '=', messageId).executeTakeFirst();
      if (!row || (row.action !== 'close' && row.action !== 'reject')) return undefined;
      return {
        chatId: row.chat_id, messageId: row.message_id, tipId: row.tip_id, action: row.action, version: row.version,
        ...(row.card_message_id !== null ? { cardMessageId: row.card_message_id } : {}), staffId: row.staff_id,
      };
    },
  };
}
