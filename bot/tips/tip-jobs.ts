import type { BotContext } from '../context.ts';
import { notifyJobId, overdueJobId, staffPostJobId, TIP_JOBS } from '../../core/tips/tip-jobs.ts';

/**
 * Enqueues the async half of a tip change. The change itself is already committed with a 'pending'
 * outbox event, so a failure here is logged, not shown: the tips sweep re-enqueues what is pending.
 */
async function enqueue(ctx: BotContext, name: string, data: object, jobId: string, delayMs?: number): Promise<void> {
  try {
    await ctx.deps.jobs.enqueue(name, data, { jobId, ...(delayMs !== undefined ? { delayMs } : {}) });
  } catch (err) {
    ctx.log.warn({ err: (err as Error).message, job: name }, 'tip job not enqueued; the sweep will retry');
  }
}

export const enqueueStaffPost = (ctx: BotContext, eventId: number): Promise<void> =>
  enqueue(ctx, TIP_JOBS.staffPost, { eventId }, staffPostJobId(eventId));

export const enqueueReporterNotice = (ctx: BotContext, eventId: number): Promise<void> =>
  enqueue(ctx, TIP_JOBS.notifyReporter, { eventId }, notifyJobId(eventId));

/** The 24-hour overdue check for a tip now waiting for staff (new or reopened). */
export async function enqueueOverdueCheck(ctx: BotContext, tipId: number): Promise<void> {
  const due = await ctx.deps.tips.outbox.overdueAt(tipId);
  if (due !== undefined) await enqueue(ctx, TIP_JOBS.overdue, { tipId }, overdueJobId(tipId, due), Math.max(0, due - ctx.deps.now()));
}
