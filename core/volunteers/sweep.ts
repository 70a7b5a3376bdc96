import type { Database } from '../storage/database.ts';
import { HOLDING } from './member-store.ts';
import { inviteJob, noticeJob, REMINDER_LEAD_MS, staffJob, VOLUNTEER_JOBS, wrapupJob, type JobRequest } from './job-requests.ts';

/** Only work older than this is swept: the normal path enqueues right after the commit. */
const GRACE_MS = 2 * 60_000;

/**
 * The safety net behind "commit, then enqueue": finds volunteer messages the database says are due but
 * that may never have been queued (a crash between the two, Redis losing its queue, a job that failed
 * for good while Telegram was down) and asks for them again. Every processor claims its message in the
 * database before sending, so a request for something already sent does nothing. `slot` makes the job
 * ids of one sweep distinct from the original ones and from the next sweep's.
 */
export async function sweepVolunteerJobs(database: Database, now: number, slot: string): Promise<{ jobs: JobRequest[]; refill: { assignmentId: number; want: number }[] }> {
  const { db } = database;
  const nowIso = new Date(now).toISOString();
  const before = new Date(now - GRACE_MS).toISOString();
  const again = (r: JobRequest): JobRequest => ({ ...r, options: { ...r.options, jobId: `${r.options.jobId}:${slot}` } });
  const rows = await db
    .selectFrom('assignment_members as m')
    .innerJoin('assignments as a', 'a.id', 'm.assignment_id')
    .select(['m.id', 'm.state', 'm.invite_sent_at', 'm.reminded_at', 'm.notified_state', 'm.created_at', 'm.responded_at', 'a.status', 'a.starts_at', 'a.ends_at'])
    .where('a.ends_at', '>', new Date(now - 86_400_000).toISOString())
    .where('m.state', 'in', ['invited', 'accepted', 'checked_in', 'cancelled'])
    .execute();
  const jobs: JobRequest[] = [];
  for (const r of rows) {
    const open = r.status === 'open';
    if (r.state === 'invited' && open && !r.invite_sent_at && r.created_at < before && r.ends_at > nowIso) jobs.push(again(inviteJob(r.id)));
    if (r.state === 'accepted' && open && !r.reminded_at && (r.responded_at ?? '') < before && r.starts_at > nowIso) {
      const delayMs = Math.max(0, Date.parse(r.starts_at) - REMINDER_LEAD_MS - now);
      jobs.push({ name: VOLUNTEER_JOBS.reminder, data: { memberId: r.id }, options: { jobId: `vol-remind:${r.id}:${slot}`, delayMs } });
    }
    if (r.state === 'checked_in' && !r.notified_state && r.ends_at <= before) jobs.push(again(wrapupJob(r.id, 0, 0)));
    if (r.state === 'cancelled' && r.invite_sent_at && r.notified_state !== 'cancelled') jobs.push(again(noticeJob(r.id, 'cancelled')));
  }
  // Staff notices whose moment came and went unannounced, and places left open by a lost top-up.
  const open = await db
    .selectFrom('assignments as a')
    .leftJoin('assignment_members as m', 'm.assignment_id', 'a.id')
    .select(['a.id', 'a.needed', 'a.full_notified_at', 'a.exhausted_notified_at', 'a.created_at', 'm.state'])
    .where('a.status', '=', 'open')
    .where('a.starts_at', '>', nowIso)
    .where('a.created_at', '<', before)
    .execute();
  const byAssignment = new Map<number, { needed: number; full: boolean; exhausted: boolean; held: number; pending: number; members: number }>();
  for (const r of open) {
    const a = byAssignment.get(r.id) ?? { needed: r.needed, full: !!r.full_notified_at, exhausted: !!r.exhausted_notified_at, held: 0, pending: 0, members: 0 };
    if (r.state) a.members++;
    if (r.state && HOLDING.includes(r.state as never)) a.held++;
    if (r.state === 'invited') a.pending++;
    byAssignment.set(r.id, a);
  }
  // Open places with nobody deciding: invite again (topUp tells staff when nobody is left).
  const refill: { assignmentId: number; want: number }[] = [];
  for (const [id, a] of byAssignment) {
    if (a.held >= a.needed && !a.full) jobs.push(again(staffJob(id, 'full', `${a.members}.${a.held}`)));
    if (a.held < a.needed && a.pending === 0 && !a.exhausted) refill.push({ assignmentId: id, want: a.needed - a.held });
  }
  return { jobs, refill };
}
