import { dutyKeyboard, assignmentVars, reminderMessage } from '../../core/volunteers/volunteer-messages.ts';
import type { Processor } from '../types.ts';
import { idField, reposFor, sendClaimed } from './volunteer-support.ts';

/**
 * The reminder two hours before the start (a delayed job enqueued on acceptance), with 签到 / 退出任务.
 * Sent once (claimed in the database), and only to a volunteer still accepted on an open assignment.
 */
export const volunteerReminder: Processor<{ memberId: number }> = async (data, deps) => {
  const memberId = idField(data, 'memberId');
  if (!memberId) return { skipped: 'bad data' };
  const repos = reposFor(deps);
  const m = await repos.members.get(memberId);
  if (!m || m.state !== 'accepted' || m.userId === undefined) return { skipped: 'not accepted' };
  const a = await repos.assignments.get(m.assignmentId);
  const now = deps.now();
  if (!a || a.status !== 'open' || a.startsAt <= now) return { skipped: 'assignment closed or started' };
  if (!(await repos.members.claim(memberId, 'reminded_at', new Date(now).toISOString()))) return { skipped: 'already sent' };
  const { html, keyboard } = reminderMessage(deps.content, a, memberId);
  const sent = await sendClaimed(deps, m.userId, html, keyboard, () => repos.members.unclaim(memberId, 'reminded_at'));
  deps.logger.info({ member: memberId, assignment: a.id, sent }, 'volunteer reminder');
  return { sent };
};

/** At the end time, a volunteer still checked in is asked to check out (hours need both ends). */
export const volunteerWrapup: Processor<{ memberId: number }> = async (data, deps) => {
  const memberId = idField(data, 'memberId');
  if (!memberId) return { skipped: 'bad data' };
  const repos = reposFor(deps);
  const m = await repos.members.get(memberId);
  if (!m || m.state !== 'checked_in' || m.userId === undefined) return { skipped: 'not checked in' };
  const a = await repos.assignments.get(m.assignmentId);
  if (!a || !(await repos.members.claimNotified(memberId, 'wrapup'))) return { skipped: 'already sent' };
  const html = deps.content.strings.t('volunteer.wrapup', assignmentVars(deps.content, a));
  const sent = await sendClaimed(deps, m.userId, html, dutyKeyboard(deps.content, memberId, ['out']), () => repos.members.releaseNotified(memberId));
  return { sent };
};
