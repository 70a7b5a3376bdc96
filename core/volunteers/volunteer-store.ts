import type { Selectable } from 'kysely';
import type { Database } from '../storage/database.ts';
import type { FieldCipher } from '../storage/field-cipher.ts';
import type { Schema } from '../storage/schema.ts';

/** What a volunteer gives at sign-up and can edit later. */
export interface VolunteerDraft {
  readonly name: string;
  /** Bare 11-digit mainland mobile number. */
  readonly phone: string;
  readonly townId: string;
  readonly community: string;
  readonly skills: readonly string[];
  readonly availability: readonly string[];
}

export interface Volunteer extends Omit<VolunteerDraft, 'phone'> {
  readonly id: number;
  readonly userId: number;
  /** Decrypted only when asked for (profile, staff export); undefined when the key cannot open it. */
  readonly phone?: string;
  readonly status: 'active' | 'paused';
  /** YYYY-MM-DD (Asia/Shanghai): not available for assignments starting before this day. */
  readonly pausedUntil?: string;
  readonly createdAt: string;
}

/** Bumped when the consent text changes materially, so we know which text each person agreed to. */
export const CONSENT_VERSION = '2026-11';

export interface VolunteerStore {
  /** False without DATA_KEY: phone numbers are never stored in clear, so sign-up is closed. */
  readonly canStorePhones: boolean;
  /** Inserts the volunteer; 'exists' when this Telegram user is already registered (a double tap). */
  register(userId: number, draft: VolunteerDraft, nowIso: string): Promise<'created' | 'exists'>;
  byUserId(userId: number, withPhone?: boolean): Promise<Volunteer | undefined>;
  byIds(ids: readonly number[]): Promise<Volunteer[]>;
  update(userId: number, patch: Partial<VolunteerDraft>, nowIso: string): Promise<boolean>;
  pause(userId: number, until: string, nowIso: string): Promise<boolean>;
  resume(userId: number, nowIso: string): Promise<boolean>;
  /** Everyone registered in these towns (matching filters availability itself). */
  inTowns(townIds: readonly string[]): Promise<Volunteer[]>;
  /** Everyone, with phones, for the staff export. */
  all(): Promise<Volunteer[]>;
  /** Deletes the row; assignment records keep their hours with volunteer_id set to NULL by the database. */
  remove(userId: number): Promise<boolean>;
}

type Row = Selectable<Schema['volunteers']>;
const phoneContext = (userId: number): string => `volunteer.phone:${userId}`;

export function createVolunteerStore(database: Database, cipher: FieldCipher | undefined): VolunteerStore {
  const { db } = database;
  const toVolunteer = (r: Row, withPhone: boolean): Volunteer => ({
    id: r.id,
    userId: Number(r.user_id),
    name: r.name,
    ...(withPhone && cipher ? { phone: cipher.decrypt(r.phone_enc, phoneContext(Number(r.user_id))) } : {}),
    townId: r.town_id,
    community: r.community,
    skills: parseList(r.skills),
    availability: parseList(r.availability),
    status: r.status === 'paused' ? 'paused' : 'active',
    ...(r.paused_until ? { pausedUntil: r.paused_until } : {}),
    createdAt: r.created_at,
  });
  const encrypt = (userId: number, phone: string): string => {
    if (!cipher) throw new Error('DATA_KEY is not set: refusing to store a phone number');
    return cipher.encrypt(phone, phoneContext(userId));
  };

  return {
    canStorePhones: cipher !== undefined,
    async register(userId, d, nowIso) {
      const r = await db
        .insertInto('volunteers')
        .values({
          user_id: userId, name: d.name, phone_enc: encrypt(userId, d.phone), town_id: d.townId, community: d.community,
          skills: JSON.stringify(d.skills), availability: JSON.stringify(d.availability), status: 'active', paused_until: null,
          consent_version: CONSENT_VERSION, consent_at: nowIso, created_at: nowIso, updated_at: nowIso,
        })
        .onConflict((oc) => oc.column('user_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'created' : 'exists';
    },
    async byUserId(userId, withPhone = false) {
      const r = await db.selectFrom('volunteers').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return r ? toVolunteer(r, withPhone) : undefined;
    },
    async byIds(ids) {
      if (!ids.length) return [];
      const rows = await db.selectFrom('volunteers').selectAll().where('id', 'in', [...ids]).execute();
      return rows.map((r) => toVolunteer(r, false));
    },
    async update(userId, p, nowIso) {
      const r = await db
        .updateTable('volunteers')
        .set({
          ...(p.name !== undefined ? { name: p.name } : {}),
          ...(p.phone !== undefined ? { phone_enc: encrypt(userId, p.phone) } : {}),
          ...(p.townId !== undefined ? { town_id: p.townId } : {}),
          ...(p.community !== undefined ? { community: p.community } : {}),
          ...(p.skills !== undefined ? { skills: JSON.stringify(p.skills) } : {}),
          ...(p.availability !== undefined ? { availability: JSON.stringify(p.availability) } : {}),
          updated_at: nowIso,
        })
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async pause(userId, until, nowIso) {
      const r = await db.updateTable('volunteers').set({ status: 'paused', paused_until: until, updated_at: nowIso }).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async resume(userId, nowIso) {
      const r = await db.updateTable('volunteers').set({ status: 'active', paused_until: null, updated_at: nowIso }).where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async inTowns(townIds) {
      if (!townIds.length) return [];
      const rows = await db.selectFrom('volunteers').selectAll().where('town_id', 'in', [...townIds]).orderBy('id').execute();
      return rows.map((r) => toVolunteer(r, false));
    },
    async all() {
      const rows = await db.selectFrom('volunteers').selectAll().orderBy('id').execute();
      return rows.map((r) => toVolunteer(r, true));
    },
    async remove(userId) {
      const r = await db.deleteFrom('volunteers').where('user_id', '=', userId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}

function parseList(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

export { parseList as parseIdList };
