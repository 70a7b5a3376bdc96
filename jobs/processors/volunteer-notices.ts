import { assignmentVars } from '../../core/volunteers/volunteer-messages.ts';
import { HOLDING } from '../../core/volunteers/member-store.ts';
import type { Processor } from '../types.ts';
import { idField, reposFor, sendClaimed } from './volunteer-support.ts';

/** Tells a volunteer who had been invited or had accepted that the assignment was cancelled. Once. */
export const volunteerNotice: Processor<{ memberId: number; kind: 'cancelled' }> = async (data, deps) => {
  const memberId = idField(data, 'memberId');
  if (!memberId) return { skipped: 'bad data' };
  const repos = reposFor(deps);
  const m = await repos.members.get(memberId);
  // Someone whose invitation never went out has nothing to be told.
  if (!m || m.state !== 'cancelled' || m.userId === undefined || !m.inviteSentAt) return { skipped: 'nothing to tell' };
  const a = await repos.assignments.get(m.assignmentId);
  if (!a || !(await repos.members.claimNotified(memberId, 'cancelled'))) return { skipped: 'already sent' };
  const html = deps.content.strings.t('volunteer.cancel_notice', assignmentVars(deps.content, a));
  const sent = await sendClaimed(deps, m.userId, html, undefined, () => repos.members.releaseNotified(memberId));
  return { sent };
};

/**
 * Tells the staff member who created an assignment that it is full, or that places are open and
 * nobody is left to invite. The condition is checked again when the job runs (it may have changed)
 * and the notice is claimed on the assignment, so it is sent once per episode.
 */
export const volunteerStaffNotice: Processor<{ assignmentId: number; kind: 'full' | 'exhausted' }> = async (data, deps) => {
  const assignmentId = idField(data, 'assignmentId');
  const kind = (data as { kind?: unknown })?.kind;
  if (!assignmentId || (kind !== 'full' && kind !== 'exhausted')) return { skipped: 'bad data' };
  const repos = reposFor(deps);
  const a = await repos.assignments.get(assignmentId);
  if (!a || a.status !== 'open') return { skipped: 'not open' };
  const members = await repos.members.ofAssignment(assignmentId);
  const held = members.filter((m) => HOLDING.includes(m.state)).length;
  const pending = members.some((m) => m.state === 'invited');
  const holds = kind === 'full' ? held >= a.needed : held < a.needed && !pending;
  if (!holds) return { skipped: 'no longer true' };
  if (!(await repos.assignments.claimNotice(assignmentId, kind, new Date(deps.now()).toISOString()))) return { skipped: 'already sent' };
  const html = deps.content.strings.t(`volunteer.staff_${kind}`, { ...assignmentVars(deps.content, a), missing: a.needed - held });
  const sent = await sendClaimed(deps, a.createdBy, html, undefined, () => repos.assignments.resetNotice(assignmentId, kind));
  return { sent };
};
