import type { Strings } from '../content/strings.ts';
import type { Database } from '../storage/database.ts';
import type { FieldCipher } from '../storage/field-cipher.ts';
import type { PersonalDataEraser } from '../privacy/personal-data.ts';
import { contactContext } from './tip-store.ts';

export type IdentityView =
  | { readonly kind: 'shown'; readonly name: string; readonly phone: string }
  | { readonly kind: 'anonymous' | 'erased' | 'no-key' | 'unreadable' | 'not-found' };

export interface TipPrivacy {
  /**
   * A staff member opens a real-name reporter's contact details. Every call is written to the
   * tip_identity_views audit table with its outcome, whether or not anything was shown.
   */
  viewIdentity(tipId: number, staffId: number): Promise<IdentityView>;
  /** How many of the reporter's tips are still linked: closed ones (deletable) and open ones (kept for updates). */
  linkedCounts(chatId: number): Promise<{ closed: number; open: number }>;
  /** Removes the reporter link (chat id and contact details) from the reporter's closed and rejected tips. */
  unlinkClosed(chatId: number): Promise<number>;
}

const FINAL = ['closed', 'rejected'];

export function createTipPrivacy(database: Database, cipher: FieldCipher | undefined, now: () => number = Date.now): TipPrivacy {
  const { db } = database;
  return {
    async viewIdentity(tipId, staffId) {
      const tip = await db.selectFrom('tips').leftJoin('tip_reporters as r', 'r.tip_id', 'tips.id')
        .select(['tips.real_name', 'r.contact_enc', 'r.tip_id as linked']).where('tips.id', '=', tipId).executeTakeFirst();
      let view: IdentityView;
      if (!tip) view = { kind: 'not-found' };
      else if (tip.real_name !== 1) view = { kind: 'anonymous' };
      else if (tip.linked === null || !tip.contact_enc) view = { kind: 'erased' };
      else if (!cipher) view = { kind: 'no-key' };
      else {
        const plain = cipher.decrypt(tip.contact_enc, contactContext(tipId));
        const parsed = plain ? (JSON.parse(plain) as { name?: unknown; phone?: unknown }) : undefined;
        view = parsed && typeof parsed.name === 'string' && typeof parsed.phone === 'string'
          ? { kind: 'shown', name: parsed.name, phone: parsed.phone } : { kind: 'unreadable' };
      }
      if (tip) {
        await db.insertInto('tip_identity_views').values({ tip_id: tipId, staff_id: staffId, outcome: view.kind, viewed_at: new Date(now()).toISOString() }).execute();
      }
      return view;
    },
    async linkedCounts(chatId) {
      const rows = await db.selectFrom('tip_reporters as r').innerJoin('tips', 'tips.id', 'r.tip_id')
        .select('tips.status').where('r.chat_id', '=', chatId).execute();
      const closed = rows.filter((r) => FINAL.includes(r.status)).length;
      return { closed, open: rows.length - closed };
    },
    async unlinkClosed(chatId) {
      const r = await db.deleteFrom('tip_reporters').where('chat_id', '=', chatId)
        .where((eb) => eb('tip_id', 'in', eb.selectFrom('tips').select('id').where('status', 'in', FINAL)))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}

/** The tips module's part of /delete_me: unlink closed tips, keep open ones linked so the reporter hears the result. */
export function createTipEraser(privacy: TipPrivacy, strings: Strings): PersonalDataEraser {
  const openLine = (open: number): string[] => (open ? [strings.t('tips.erase.open_kept', { count: open })] : []);
  return {
    name: 'tips',
    async preview(userId) {
      const { closed, open } = await privacy.linkedCounts(userId);
      return [...(closed ? [strings.t('tips.erase.preview_closed', { count: closed })] : []), ...openLine(open)];
    },
    async erase(userId) {
      const removed = await privacy.unlinkClosed(userId);
      const { open } = await privacy.linkedCounts(userId);
      return [...(removed ? [strings.t('tips.erase.done_closed', { count: removed })] : []), ...openLine(open)];
    },
  };
}
