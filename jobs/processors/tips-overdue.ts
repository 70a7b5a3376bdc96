import type { Processor } from '../types.ts';
import { idField, overdueJobId, staffPostJobId, TIP_JOBS, tipsFor } from './tips-support.ts';

/**
 * A tip with no staff action for 24 hours is posted to the staff group again, marked overdue, and
 * again every 24 hours until someone acts. Enqueued (delayed) when a tip is created or reopened; the
 * job id carries the due time, so re-enqueueing the same check is a no-op. Idempotent: markOverdue is
 * a compare-and-set on the tip, so two runs post one reminder.
 */
export const tipsOverdue: Processor<{ tipId: number }> = async (data, deps) => {
  const tipId = idField(data, 'tipId');
  if (!tipId) return { skipped: 'bad data' };
  const { outbox } = tipsFor(deps);
  const eventId = await outbox.markOverdue(tipId);
  if (eventId) await deps.jobs.enqueue(TIP_JOBS.staffPost, { eventId }, { jobId: staffPostJobId(eventId) });
  const next = await outbox.overdueAt(tipId);
  // The next check, at the next due time (a run a moment early has this job's own id: a no-op, and the
  // sweep picks the tip up).
  if (next !== undefined && next > deps.now()) {
    await deps.jobs.enqueue(TIP_JOBS.overdue, { tipId }, { jobId: overdueJobId(tipId, next), delayMs: Math.max(0, next - deps.now()) });
  }
  return { reposted: eventId !== undefined, next };
};
