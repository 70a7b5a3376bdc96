import type { Processor } from '../types.ts';
import { notifyJobId, staffPostJobId, TIP_JOBS, tipsFor } from './tips-support.ts';

const SLOT_MS = 10 * 60_000;

/**
 * The safety net behind the outbox: re-enqueues tip messages still pending a while after they were
 * committed (a crash between the commit and the enqueue, a job that failed for good while Telegram was
 * down, STAFF_CHAT_ID set only later) and overdue checks. Job ids carry a 10-minute slot so a sweep
 * retries a failed job without piling up duplicates.
 */
export const tipsSweep: Processor<unknown> = async (_data, deps) => {
  const { outbox } = tipsFor(deps);
  const slot = `:sweep-${Math.floor(deps.now() / SLOT_MS)}`;
  const staff = deps.config.staffChatId === undefined ? [] : await outbox.pending('staff', 2 * 60_000);
  for (const eventId of staff) await deps.jobs.enqueue(TIP_JOBS.staffPost, { eventId }, { jobId: staffPostJobId(eventId, slot) });
  const reporter = await outbox.pending('reporter', 2 * 60_000);
  for (const eventId of reporter) await deps.jobs.enqueue(TIP_JOBS.notifyReporter, { eventId }, { jobId: notifyJobId(eventId, slot) });
  const overdue = await outbox.overdueCandidates();
  for (const tipId of overdue) await deps.jobs.enqueue(TIP_JOBS.overdue, { tipId }, { jobId: `${TIP_JOBS.overdue}:${tipId}${slot}` });
  return { staff: staff.length, reporter: reporter.length, overdue: overdue.length };
};
