import type { ProcessorRegistry } from './types.ts';
import { broadcastProcessors } from './broadcast/processors.ts';
import { tipsStaffPost } from './processors/tips-staff-post.ts';
import { tipsNotifyReporter } from './processors/tips-notify-reporter.ts';
import { tipsOverdue } from './processors/tips-overdue.ts';
import { tipsSweep } from './processors/tips-sweep.ts';
import { volunteerInvite } from './processors/volunteer-invite.ts';
import { volunteerReminder, volunteerWrapup } from './processors/volunteer-reminder.ts';
import { volunteerNotice, volunteerStaffNotice } from './processors/volunteer-notices.ts';
import { volunteerSweep } from './processors/volunteer-sweep.ts';
import { VOLUNTEER_JOBS } from '../core/volunteers/job-requests.ts';
import { staffNotice } from './processors/staff-notice.ts';

/**
 * Every processor, by job name. Features add theirs here (one line each); the in-process runner and
 * the bull worker both read this map, so a job runs the same code in either mode.
 */
export const processors: ProcessorRegistry = {
  ...broadcastProcessors,
  'tips-staff-post': tipsStaffPost,
  'tips-notify-reporter': tipsNotifyReporter,
  'tips-overdue': tipsOverdue,
  'tips-sweep': tipsSweep,
  [VOLUNTEER_JOBS.invite]: volunteerInvite,
  [VOLUNTEER_JOBS.reminder]: volunteerReminder,
  [VOLUNTEER_JOBS.wrapup]: volunteerWrapup,
  [VOLUNTEER_JOBS.notice]: volunteerNotice,
  [VOLUNTEER_JOBS.staff]: volunteerStaffNotice,
  [VOLUNTEER_JOBS.sweep]: volunteerSweep,
  'staff-notice': staffNotice,
};
