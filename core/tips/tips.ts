import type { Database } from '../storage/database.ts';
import type { FieldCipher } from '../storage/field-cipher.ts';
import { createTipStore, type TipStore } from './tip-store.ts';
import { createTipTriage, type TipTriage } from './tip-triage.ts';
import { createTipOutbox, type TipOutbox } from './tip-outbox.ts';
import { createTipPrivacy, type TipPrivacy } from './tip-privacy.ts';

/** Everything about tips the transports need, built once from the database (and DATA_KEY's cipher). */
export interface Tips {
  readonly store: TipStore;
  readonly triage: TipTriage;
  readonly outbox: TipOutbox;
  readonly privacy: TipPrivacy;
  /** Real-name reporting needs somewhere safe to keep contact details: only with DATA_KEY. */
  readonly cipher?: FieldCipher;
}

export function createTips(database: Database, options: { cipher?: FieldCipher; now?: () => number } = {}): Tips {
  const now = options.now ?? Date.now;
  return {
    store: createTipStore(database, { cipher: options.cipher, now }),
    triage: createTipTriage(database, now),
    outbox: createTipOutbox(database, now),
    privacy: createTipPrivacy(database, options.cipher, now),
    ...(options.cipher ? { cipher: options.cipher } : {}),
  };
}
