import { invitationMessage } from '../../core/volunteers/volunteer-messages.ts';
import { enqueueAll } from '../../core/volunteers/job-requests.ts';
import { topUp } from '../../core/volunteers/staffing.ts';
import type { Processor } from '../types.ts';
import { idField, reposFor, sendClaimed } from './volunteer-support.ts';

/**
 * Sends one invitation with 接受 / 婉拒. Idempotent: the invitation is claimed in the database before
 * sending, so a job that runs twice sends once; an invitation that was answered, or whose assignment
 * was cancelled or ended meanwhile, is not sent. A volunteer who blocked the bot is marked unreachable
 * and the next candidate is invited instead.
 */
export const volunteerInvite: Processor<{ memberId: number }> = async (data, deps) => {
  const memberId = idField(data, 'memberId');
  if (!memberId) return { skipped: 'bad data' };
  const repos = reposFor(deps);
  const m = await repos.members.get(memberId);
  if (!m || m.state !== 'invited' || m.userId === undefined) return { skipped: 'no longer invited' };
  const a = await repos.assignments.get(m.assignmentId);
  const now = deps.now();
  if (!a || a.status !== 'open' || a.endsAt <= now) return { skipped: 'assignment closed' };
  if (!(await repos.members.claim(memberId, 'invite_sent_at', new Date(now).toISOString()))) return { skipped: 'already sent' };
  const { html, keyboard } = invitationMessage(deps.content, a, memberId);
  const sent = await sendClaimed(deps, m.userId, html, keyboard, () => repos.members.unclaim(memberId, 'invite_sent_at'));
  if (sent === 'unreachable' && (await repos.members.move(memberId, ['invited'], 'unreachable'))) {
    await enqueueAll(deps.jobs, await topUp(repos, a.id, 1));
  }
  deps.logger.info({ member: memberId, assignment: a.id, sent }, 'volunteer invitation');
  return { sent };
};
