import { nowIso, type Database } from '../storage/database.ts';

/** Operators (广播员) get the full script to read aloud; residents (居民) a short daily tip. */
export type SubscriberRole = 'operator' | 'resident';
export const SUBSCRIBER_ROLES: readonly SubscriberRole[] = ['operator', 'resident'];

/** Village or community name as typed by an operator; longer input is refused, not cut. */
export const MAX_VILLAGE_CHARS = 30;

export interface Subscriber {
  readonly chatId: number;
  readonly chatType: string;
  readonly role: SubscriberRole;
  readonly townId: string;
  readonly village: string | null;
  readonly active: boolean;
}

export interface SubscriberCounts {
  readonly operator: number;
  readonly resident: number;
}

export interface Subscribers {
  /** Creates or replaces the chat's subscription and reactivates it; durable when it resolves. */
  subscribe(s: Omit<Subscriber, 'active'>): Promise<void>;
  /** Deletes the subscription (nothing about the chat is kept). False when there was none. */
  unsubscribe(chatId: number): Promise<boolean>;
  get(chatId: number): Promise<Subscriber | undefined>;
  /** A chat that blocked the bot (403) or no longer exists: skipped by every later fan-out. */
  markInactive(chatId: number, reason: string): Promise<void>;
  /** A group became a supergroup: Telegram gives the new id and the old one stops working. */
  moveChat(fromChatId: number, toChatId: number): Promise<void>;
  activeCounts(): Promise<SubscriberCounts>;
  /** Towns with at least one active operator: their script variants are stored with the day. */
  operatorTowns(): Promise<string[]>;
}

/** Trims a typed village name; undefined when it is empty, too long or has line breaks or controls. */
export function cleanVillage(text: string): string | undefined {
  const v = text.trim().replace(/\s+/g, ' ');
  if (!v || [...v].length > MAX_VILLAGE_CHARS || /[\u0000-\u001f\u007f<>]/.test(v)) return undefined;
  return v;
}

export function createSubscribers(database: Database): Subscribers {
  const { db } = database;
  return {
    async subscribe(s) {
      const now = nowIso();
      const values = { chat_type: s.chatType, role: s.role, town_id: s.townId, village: s.village, active: 1, inactive_reason: null, updated_at: now };
      await db
        .insertInto('broadcast_subscribers')
        .values({ chat_id: s.chatId, ...values, created_at: now })
        .onConflict((oc) => oc.column('chat_id').doUpdateSet(values))
        .execute();
    },
    async unsubscribe(chatId) {
      const r = await db.deleteFrom('broadcast_subscribers').where('chat_id', '=', chatId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async get(chatId) {
      const r = await db.selectFrom('broadcast_subscribers').selectAll().where('chat_id', '=', chatId).executeTakeFirst();
      return r && {
        chatId: r.chat_id, chatType: r.chat_type, role: r.role as SubscriberRole, townId: r.town_id, village: r.village, active: r.active === 1,
      };
    },
    async markInactive(chatId, reason) {
      await db
        .updateTable('broadcast_subscribers')
        .set({ active: 0, inactive_reason: reason.slice(0, 200), updated_at: nowIso() })
        .where('chat_id', '=', chatId)
        .execute();
    },
    async moveChat(fromChatId, toChatId) {
      await db.transaction().execute(async (trx) => {
        const taken = await trx.selectFrom('broadcast_subscribers').select('chat_id').where('chat_id', '=', toChatId).executeTakeFirst();
        if (taken) await trx.deleteFrom('broadcast_subscribers').where('chat_id', '=', fromChatId).execute();
        else await trx.updateTable('broadcast_subscribers').set({ chat_id: toChatId, chat_type: 'supergroup', updated_at: nowIso() }).where('chat_id', '=', fromChatId).execute();
      });
    },
    async activeCounts() {
      const rows = await db
        .selectFrom('broadcast_subscribers')
        .select(['role', (eb) => eb.fn.countAll<number>().as('n')])
        .where('active', '=', 1)
        .groupBy('role')
        .execute();
      const n = (role: SubscriberRole): number => Number(rows.find((r) => r.role === role)?.n ?? 0);
      return { operator: n('operator'), resident: n('resident') };
    },
    async operatorTowns() {
      const rows = await db.selectFrom('broadcast_subscribers').select('town_id').distinct().where('active', '=', 1).where('role', '=', 'operator').execute();
      return rows.map((r) => r.town_id);
    },
  };
}
