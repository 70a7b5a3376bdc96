import type { Towns } from '../content/towns.ts';
import type { Database } from '../storage/database.ts';
import { createFieldCipher, type FieldCipher } from '../storage/field-cipher.ts';
import { createAssignmentStore, type AssignmentStore } from './assignment-store.ts';
import { createMemberStore, type MemberStore } from './member-store.ts';
import { createVolunteerStore, type VolunteerStore } from './volunteer-store.ts';

/** The three volunteer stores plus what the domain operations need (towns for matching, a clock). */
export interface VolunteerRepos {
  readonly volunteers: VolunteerStore;
  readonly assignments: AssignmentStore;
  readonly members: MemberStore;
  readonly towns: Towns;
  readonly now: () => number;
}

const ciphers = new Map<string, FieldCipher>();
/**
 * One cipher per DATA_KEY for the process: deriving the key (scrypt) costs tens of milliseconds, and
 * processors build their repos per job. Without DATA_KEY there is no cipher and phones are never stored.
 */
export function cipherFor(dataKey: string | undefined): FieldCipher | undefined {
  if (!dataKey) return undefined;
  let c = ciphers.get(dataKey);
  if (!c) ciphers.set(dataKey, (c = createFieldCipher(dataKey)));
  return c;
}

export function createVolunteerRepos(database: Database, towns: Towns, dataKey: string | undefined, now: () => number): VolunteerRepos {
  return {
    volunteers: createVolunteerStore(database, cipherFor(dataKey)),
    assignments: createAssignmentStore(database),
    members: createMemberStore(database),
    towns,
    now,
  };
}
