import { nowIso, type Database } from './database.ts';
import type { FieldCipher } from './field-cipher.ts';

export interface UpdateInbox {
  /** Stores updates before their offset is confirmed to Telegram; an id already stored is kept as is. */
  save(updates: readonly { update_id: number }[]): Promise<void>;
  /** The update was handled (or failed in its handler): it is not replayed. */
  done(updateId: number): Promise<void>;
  /** What a crashed process left unhandled, oldest first. */
  pending(): Promise<unknown[]>;
}

/**
 * An update is what a person typed (a phone number in a sign-up, a tip's description): with DATA_KEY
 * it is stored encrypted, like every other personal field; it lives here only until handled.
 */
export function createUpdateInbox(database: Database, cipher?: FieldCipher): UpdateInbox {
  const { db } = database;
  const seal = (u: { update_id: number }): string => (cipher ? cipher.encrypt(JSON.stringify(u), CONTEXT) : JSON.stringify(u));
  const open = (body: string): unknown => {
    const plain = body.startsWith('{') ? body : cipher?.decrypt(body, CONTEXT);
    return plain === undefined ? undefined : (JSON.parse(plain) as unknown);
  };
  return {
    async save(updates) {
      if (!updates.length) return;
      const at = nowIso();
      await db.insertInto('update_inbox')
        .values(updates.map((u) => ({ update_id: u.update_id, body: seal(u), received_at: at })))
        .onConflict((oc) => oc.column('update_id').doNothing()).execute();
    },
    async done(updateId) {
      await db.deleteFrom('update_inbox').where('update_id', '=', updateId).execute();
    },
    async pending() {
      const rows = await db.selectFrom('update_inbox').select('body').orderBy('update_id').execute();
      // One that cannot be opened (DATA_KEY changed) is dropped rather than crash the start.
      return rows.map((r) => open(r.body)).filter((u) => u !== undefined);
    },
  };
}

const CONTEXT = 'update-inbox';
