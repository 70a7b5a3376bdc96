import type { Selectable } from 'kysely';
import type { Database } from '../storage/database.ts';
import type { Schema } from '../storage/schema.ts';
import { parseIdList } from './volunteer-store.ts';

export interface AssignmentInput {
  readonly title: string;
  readonly description: string;
  readonly townId: string;
  readonly place: string;
  /** Epoch ms. */
  readonly startsAt: number;
  readonly endsAt: number;
  readonly skills: readonly string[];
  readonly needed: number;
}

export interface Assignment extends AssignmentInput {
  readonly id: number;
  readonly status: 'open' | 'cancelled';
  /** Numeric Telegram id of the staff member who created it; told when it is full or out of candidates. */
  readonly createdBy: number;
  readonly createdAt: string;
}

export type NoticeKind = 'full' | 'exhausted';

export interface AssignmentStore {
  /**
   * Inserts once per submission key (the /assign conversation): a double-tapped 确认 or a retried
   * handler returns the existing assignment with created=false instead of making a second one.
   */
  create(input: AssignmentInput, createdBy: number, submissionKey: string, nowIso: string): Promise<{ assignment: Assignment; created: boolean }>;
  get(id: number): Promise<Assignment | undefined>;
  /** Open assignments that have not ended yet, soonest first. */
  listOpen(nowMs: number): Promise<Assignment[]>;
  all(): Promise<Assignment[]>;
  /** open → cancelled; false when it was not open (already cancelled: a second press). */
  cancel(id: number): Promise<boolean>;
  /**
   * Claims the right to send one staff notice (full / no candidates left). The claim is a conditional
   * update, so a notice job that runs twice, or in two workers, sends once.
   */
  claimNotice(id: number, kind: NoticeKind, nowIso: string): Promise<boolean>;
  /** A freed place or a new invitation makes the next "full" / "no candidates" worth telling again. */
  resetNotice(id: number, kind: NoticeKind): Promise<void>;
}

type Row = Selectable<Schema['assignments']>;
const toAssignment = (r: Row): Assignment => ({
  id: r.id,
  title: r.title,
  description: r.description,
  townId: r.town_id,
  place: r.place,
  startsAt: Date.parse(r.starts_at),
  endsAt: Date.parse(r.ends_at),
  skills: parseIdList(r.skills),
  needed: r.needed,
  status: r.status === 'cancelled' ? 'cancelled' : 'open',
  createdBy: Number(r.created_by),
  createdAt: r.created_at,
});
const column = (kind: NoticeKind) => (kind === 'full' ? 'full_notified_at' : 'exhausted_notified_at') as 'full_notified_at';

export function createAssignmentStore(database: Database): AssignmentStore {
  const { db } = database;
  return {
    async create(input, createdBy, submissionKey, nowIso) {
      const row = await db
        .insertInto('assignments')
        .values({
          title: input.title, description: input.description, town_id: input.townId, place: input.place,
          starts_at: new Date(input.startsAt).toISOString(), ends_at: new Date(input.endsAt).toISOString(),
          skills: JSON.stringify(input.skills), needed: input.needed, status: 'open', created_by: createdBy,
          submission_key: submissionKey, full_notified_at: null, exhausted_notified_at: null, created_at: nowIso,
        })
        .onConflict((oc) => oc.column('submission_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (row) return { assignment: toAssignment(row), created: true };
      const existing = await db.selectFrom('assignments').selectAll().where('submission_key', '=', submissionKey).executeTakeFirstOrThrow();
      return { assignment: toAssignment(existing), created: false };
    },
    async get(id) {
      const r = await db.selectFrom('assignments').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toAssignment(r) : undefined;
    },
    async listOpen(nowMs) {
      const rows = await db
        .selectFrom('assignments')
        .selectAll()
        .where('status', '=', 'open')
        .where('ends_at', '>', new Date(nowMs).toISOString())
        .orderBy('starts_at')
        .orderBy('id')
        .execute();
      return rows.map(toAssignment);
    },
    async all() {
      return (await db.selectFrom('assignments').selectAll().orderBy('id').execute()).map(toAssignment);
    },
    async cancel(id) {
      const r = await db.updateTable('assignments').set({ status: 'cancelled' }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async claimNotice(id, kind, nowIso) {
      const col = column(kind);
      const r = await db.updateTable('assignments').set({ [col]: nowIso }).where('id', '=', id).where(col, 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async resetNotice(id, kind) {
      await db.updateTable('assignments').set({ [column(kind)]: null }).where('id', '=', id).execute();
    },
  };
}
