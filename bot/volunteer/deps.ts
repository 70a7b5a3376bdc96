import { enqueueAll, type JobRequest } from '../../core/volunteers/job-requests.ts';
import type { VolunteerRepos } from '../../core/volunteers/repos.ts';
import type { BotContext } from '../context.ts';

/** The volunteer repositories on this update's clock (tests pass their own `now` in BotDeps). */
export function vol(ctx: BotContext): VolunteerRepos {
  return { ...ctx.deps.volunteers, now: ctx.deps.now };
}

/** Enqueues what the core asked for through the jobs layer (bull or in-process). */
export async function enqueue(ctx: BotContext, jobs: readonly JobRequest[]): Promise<void> {
  await enqueueAll(ctx.deps.jobs, jobs);
}

export const isStaff = (ctx: BotContext): boolean => ctx.from !== undefined && ctx.deps.config.staffIds.includes(ctx.from.id);
export const isPrivate = (ctx: BotContext): boolean => ctx.chat?.type === 'private';
