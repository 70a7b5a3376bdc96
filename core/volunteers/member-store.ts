import type { Selectable } from 'kysely';
import type { Database } from '../storage/database.ts';
import type { Schema } from '../storage/schema.ts';

/**
 * invited → accepted | declined | late (told it was full) | unreachable (blocked the bot);
 * accepted → withdrawn | checked_in → done; any open state → cancelled with the assignment.
 */
export type MemberState = 'invited' | 'accepted' | 'declined' | 'late' | 'unreachable' | 'withdrawn' | 'checked_in' | 'done' | 'cancelled';
/** States that hold one of the assignment's places. */
export const HOLDING: readonly MemberState[] = ['accepted', 'checked_in', 'done'];

export interface Member {
  readonly id: number;
  readonly assignmentId: number;
  /** null once the volunteer deleted their data: the record stays for statistics, anonymised. */
  readonly volunteerId: number | null;
  /** Telegram user id of the volunteer (joined), for sending and for checking who pressed a button. */
  readonly userId?: number;
  readonly name?: string;
  readonly state: MemberState;
  readonly slot: number | null;
  readonly inviteSentAt: string | null;
  readonly remindedAt: string | null;
  readonly checkedInAt: string | null;
  readonly checkedOutAt: string | null;
  readonly minutes: number | null;
  readonly reportText: string | null;
  readonly reportPhoto: string | null;
}

export type ClaimOutcome = 'accepted' | 'full' | 'closed' | 'gone';
type ClaimColumn = 'invite_sent_at' | 'reminded_at';
type Patch = Partial<Pick<Selectable<Schema['assignment_members']>, 'checked_in_at' | 'checked_out_at' | 'minutes' | 'report_text' | 'report_photo' | 'responded_at'>>;

export interface MemberStore {
  /** Adds an invitation; undefined when this volunteer is already on the assignment (a concurrent top-up). */
  invite(assignmentId: number, volunteerId: number, nowIso: string): Promise<number | undefined>;
  get(id: number): Promise<Member | undefined>;
  ofAssignment(assignmentId: number): Promise<Member[]>;
  ofVolunteer(volunteerId: number): Promise<Member[]>;
  /** Volunteer ids already on the assignment in any state (never invited twice). */
  volunteerIds(assignmentId: number): Promise<Set<number>>;
  /**
   * invited → accepted, taking a free numbered place. The unique (assignment, slot) index decides who
   * gets the last place when two accept at once; the loser retries the next free place or hears "full".
   */
  claimSlot(memberId: number, nowIso: string): Promise<ClaimOutcome>;
  /** Conditional state change; false when the member was not in one of `from` (a second press, a race). */
  move(memberId: number, from: readonly MemberState[], to: MemberState, patch?: Patch): Promise<boolean>;
  /** Open memberships of a cancelled assignment → cancelled; returns the ids that changed. */
  cancelAll(assignmentId: number): Promise<number[]>;
  /** One-time claims that make invitation and reminder jobs send once even when they run twice. */
  claim(memberId: number, col: ClaimColumn, nowIso: string): Promise<boolean>;
  unclaim(memberId: number, col: ClaimColumn): Promise<void>;
  claimNotified(memberId: number, state: string): Promise<boolean>;
  releaseNotified(memberId: number): Promise<void>;
  /** Places held by members who were accepted recently, per volunteer (fairness in matching). */
  recentCounts(volunteerIds: readonly number[], sinceIso: string): Promise<Map<number, number>>;
  /** Erasure: free-text reports are the volunteer's own words, so they go with the person. */
  clearReports(volunteerId: number): Promise<void>;
}

const UNIQUE_CODES = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY', '23505']);
export const isUniqueViolation = (e: unknown): boolean => UNIQUE_CODES.has(String((e as { code?: unknown })?.code));

export function createMemberStore(database: Database): MemberStore {
  const { db } = database;
  const base = () =>
    db
      .selectFrom('assignment_members as m')
      .leftJoin('volunteers as v', 'v.id', 'm.volunteer_id')
      .select([
        'm.id', 'm.assignment_id', 'm.volunteer_id', 'm.state', 'm.slot', 'm.invite_sent_at', 'm.reminded_at', 'm.checked_in_at',
        'm.checked_out_at', 'm.minutes', 'm.report_text', 'm.report_photo', 'v.user_id', 'v.name',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof base>['executeTakeFirstOrThrow']>>;
  const toMember = (r: Row): Member => ({
    id: r.id, assignmentId: r.assignment_id, volunteerId: r.volunteer_id,
    ...(r.user_id !== null ? { userId: Number(r.user_id) } : {}), ...(r.name !== null ? { name: r.name } : {}),
    state: r.state as MemberState, slot: r.slot, inviteSentAt: r.invite_sent_at, remindedAt: r.reminded_at,
    checkedInAt: r.checked_in_at, checkedOutAt: r.checked_out_at, minutes: r.minutes, reportText: r.report_text, reportPhoto: r.report_photo,
  });
  const changed = (r: { numUpdatedRows: bigint }): boolean => Number(r.numUpdatedRows) > 0;

  return {
    async invite(assignmentId, volunteerId, nowIso) {
      const r = await db
        .insertInto('assignment_members')
        .values({ assignment_id: assignmentId, volunteer_id: volunteerId, state: 'invited', created_at: nowIso })
        .onConflict((oc) => oc.columns(['assignment_id', 'volunteer_id']).doNothing())
        .returning('id')
        .executeTakeFirst();
      return r?.id;
    },
    async get(id) {
      const r = await base().where('m.id', '=', id).executeTakeFirst();
      return r ? toMember(r) : undefined;
    },
    async ofAssignment(assignmentId) {
      return (await base().where('m.assignment_id', '=', assignmentId).orderBy('m.id').execute()).map(toMember);
    },
    async ofVolunteer(volunteerId) {
      return (await base().where('m.volunteer_id', '=', volunteerId).orderBy('m.id').execute()).map(toMember);
    },
    async volunteerIds(assignmentId) {
      const rows = await db.selectFrom('assignment_members').select('volunteer_id').where('assignment_id', '=', assignmentId).execute();
      return new Set(rows.flatMap((r) => (r.volunteer_id === null ? [] : [r.volunteer_id])));
    },
    async claimSlot(memberId, nowIso) {
      const m = await db.selectFrom('assignment_members').select(['assignment_id', 'state']).where('id', '=', memberId).executeTakeFirst();
      if (!m || m.state !== 'invited') return 'gone';
      for (let attempt = 0; attempt < 5; attempt++) {
        const a = await db.selectFrom('assignments').select(['needed', 'status']).where('id', '=', m.assignment_id).executeTakeFirst();
        if (!a || a.status !== 'open') return 'closed';
        const taken = await db.selectFrom('assignment_members').select('slot').where('assignment_id', '=', m.assignment_id).where('slot', 'is not', null).execute();
        const used = new Set(taken.map((t) => t.slot));
        const free = Array.from({ length: a.needed }, (_, i) => i + 1).filter((s) => !used.has(s));
        if (!free.length) return 'full';
        for (const slot of free) {
          try {
            const r = await db
              .updateTable('assignment_members')
              .set({ state: 'accepted', slot, responded_at: nowIso })
              .where('id', '=', memberId)
              .where('state', '=', 'invited')
              .where((eb) => eb.exists(eb.selectFrom('assignments').select('id').where('id', '=', m.assignment_id).where('status', '=', 'open')))
              .executeTakeFirst();
            return changed(r) ? 'accepted' : 'gone';
          } catch (e) {
            if (!isUniqueViolation(e)) throw e;
            // Someone took this place between our read and our write: try the next free one.
          }
        }
      }
      return 'full';
    },
    async move(memberId, from, to, patch = {}) {
      const freesSlot = !HOLDING.includes(to);
      const r = await db
        .updateTable('assignment_members')
        .set({ state: to, ...(freesSlot ? { slot: null } : {}), ...patch })
        .where('id', '=', memberId)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      return changed(r);
    },
    async cancelAll(assignmentId) {
      const rows = await db
        .updateTable('assignment_members')
        .set({ state: 'cancelled', slot: null })
        .where('assignment_id', '=', assignmentId)
        .where('state', 'in', ['invited', 'accepted', 'checked_in'])
        .returning('id')
        .execute();
      return rows.map((r) => r.id);
    },
    async claim(memberId, col, nowIso) {
      return changed(await db.updateTable('assignment_members').set({ [col]: nowIso }).where('id', '=', memberId).where(col, 'is', null).executeTakeFirst());
    },
    async unclaim(memberId, col) {
      await db.updateTable('assignment_members').set({ [col]: null }).where('id', '=', memberId).execute();
    },
    async claimNotified(memberId, state) {
      const r = await db
        .updateTable('assignment_members')
        .set({ notified_state: state })
        .where('id', '=', memberId)
        .where((eb) => eb.or([eb('notified_state', 'is', null), eb('notified_state', '!=', state)]))
        .executeTakeFirst();
      return changed(r);
    },
    async releaseNotified(memberId) {
      await db.updateTable('assignment_members').set({ notified_state: null }).where('id', '=', memberId).execute();
    },
    async recentCounts(volunteerIds, sinceIso) {
      if (!volunteerIds.length) return new Map();
      const rows = await db
        .selectFrom('assignment_members as m')
        .innerJoin('assignments as a', 'a.id', 'm.assignment_id')
        .select(['m.volunteer_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('m.volunteer_id', 'in', [...volunteerIds])
        .where('m.state', 'in', [...HOLDING])
        .where('a.starts_at', '>=', sinceIso)
        .groupBy('m.volunteer_id')
        .execute();
      return new Map(rows.map((r) => [r.volunteer_id ?? 0, Number(r.n)]));
    },
    async clearReports(volunteerId) {
      await db.updateTable('assignment_members').set({ report_text: null, report_photo: null }).where('volunteer_id', '=', volunteerId).execute();
    },
  };
}
