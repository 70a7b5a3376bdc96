import { enqueueAll } from '../../core/volunteers/job-requests.ts';
import { topUp } from '../../core/volunteers/staffing.ts';
import { sweepVolunteerJobs } from '../../core/volunteers/sweep.ts';
import type { Processor } from '../types.ts';
import { reposFor } from './volunteer-support.ts';

const SLOT_MS = 10 * 60_000;

/**
 * Periodic safety net (bin/start.ts schedules it every few minutes): re-queues volunteer invitations,
 * reminders, wrap-ups and notices the database says are due but may never have been queued, and
 * refills open places nobody is deciding on. Idempotent: each processor claims before it sends.
 */
export const volunteerSweep: Processor<unknown> = async (_data, deps) => {
  const now = deps.now();
  const { jobs, refill } = await sweepVolunteerJobs(deps.database, now, `sweep-${Math.floor(now / SLOT_MS)}`);
  await enqueueAll(deps.jobs, jobs);
  const repos = reposFor(deps);
  let refilled = 0;
  for (const r of refill) {
    const more = await topUp(repos, r.assignmentId, r.want);
    refilled += more.length;
    await enqueueAll(deps.jobs, more);
  }
  if (jobs.length || refilled) deps.logger.info({ requeued: jobs.length, refilled }, 'volunteer sweep');
  return { requeued: jobs.length, refilled };
};
