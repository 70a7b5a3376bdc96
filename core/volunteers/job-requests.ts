/**
 * The volunteer jobs, as requests the core hands back to its caller. The core decides *what* must be
 * sent; bot handlers and processors enqueue it through the jobs layer (bull or in-process). Job data
 * holds ids only: processors re-read the database, so a stale job can never send stale facts. Job ids
 * are deterministic, so enqueuing the same request twice (a retried handler) is a no-op.
 */
export const VOLUNTEER_JOBS = {
  invite: 'volunteer-invite',
  reminder: 'volunteer-reminder',
  wrapup: 'volunteer-wrapup',
  notice: 'volunteer-notice',
  staff: 'volunteer-staff',
  /** Periodic safety net; see core/volunteers/sweep.ts. */
  sweep: 'volunteer-sweep',
} as const;

/** Reminders go out this long before an assignment starts. */
export const REMINDER_LEAD_MS = 2 * 3_600_000;
/** Check-in opens this long before the start. */
export const CHECK_IN_EARLY_MS = 3_600_000;

export interface JobRequest {
  readonly name: string;
  readonly data: { readonly memberId?: number; readonly assignmentId?: number; readonly kind?: string };
  readonly options: { readonly jobId: string; readonly delayMs?: number };
}

/** Structurally the jobs layer's `Jobs` (jobs/types.ts); declared here so core does not import jobs/. */
export interface JobSink {
  enqueue(name: string, data: unknown, options?: { jobId?: string; delayMs?: number }): Promise<void>;
}

export async function enqueueAll(sink: JobSink, requests: readonly JobRequest[]): Promise<void> {
  for (const r of requests) await sink.enqueue(r.name, r.data, r.options);
}

export const inviteJob = (memberId: number): JobRequest => ({
  name: VOLUNTEER_JOBS.invite, data: { memberId }, options: { jobId: `vol-invite:${memberId}` },
});

/** Delayed to REMINDER_LEAD_MS before the start; skipped when the start is closer than that already. */
export function reminderJob(memberId: number, startsAt: number, now: number): JobRequest[] {
  const delayMs = startsAt - REMINDER_LEAD_MS - now;
  if (delayMs <= 0) return [];
  return [{ name: VOLUNTEER_JOBS.reminder, data: { memberId }, options: { jobId: `vol-remind:${memberId}`, delayMs } }];
}

/** At the end time, a checked-in volunteer who has not checked out is asked to (hours need both). */
export const wrapupJob = (memberId: number, endsAt: number, now: number): JobRequest => ({
  name: VOLUNTEER_JOBS.wrapup, data: { memberId }, options: { jobId: `vol-wrapup:${memberId}`, delayMs: Math.max(0, endsAt - now) },
});

/** Tells a volunteer their assignment was cancelled. */
export const noticeJob = (memberId: number, kind: 'cancelled'): JobRequest => ({
  name: VOLUNTEER_JOBS.notice, data: { memberId, kind }, options: { jobId: `vol-notice:${memberId}:${kind}` },
});

/**
 * Tells the staff member who created the assignment that it is full or that nobody is left to invite.
 * `version` (members and held places when decided) keeps the id deterministic yet lets a later,
 * different "full" (after a withdrawal and a new acceptance) be enqueued again.
 */
export const staffJob = (assignmentId: number, kind: 'full' | 'exhausted', version: string): JobRequest => ({
  name: VOLUNTEER_JOBS.staff, data: { assignmentId, kind }, options: { jobId: `vol-staff:${assignmentId}:${kind}:${version}` },
});
