import type { Assignment, AssignmentInput } from './assignment-store.ts';
import { HOLDING } from './member-store.ts';
import { rankCandidates } from './matching.ts';
import { inviteJob, noticeJob, staffJob, type JobRequest } from './job-requests.ts';
import type { VolunteerRepos } from './repos.ts';

/** The first wave invites this many people per place, so the first N acceptances fill it quickly. */
export const INVITES_PER_PLACE = 2;
/** "Fewer recent assignments" counts places held in assignments that started in this window. */
const RECENT_MS = 30 * 86_400_000;

/**
 * Creates an assignment and invites the first wave. Durable first: the assignment and every invitation
 * row are committed before any job is returned for enqueuing.
 */
export async function createAssignment(
  repos: VolunteerRepos, input: AssignmentInput, staffId: number, submissionKey: string,
): Promise<{ assignment: Assignment; created: boolean; jobs: JobRequest[]; invited: number }> {
  const { assignment, created } = await repos.assignments.create(input, staffId, submissionKey, new Date(repos.now()).toISOString());
  if (!created) return { assignment, created, jobs: [], invited: 0 };
  const jobs = await topUp(repos, assignment.id, input.needed * INVITES_PER_PLACE);
  const invited = jobs.filter((j) => j.name === inviteJob(0).name).length;
  if (invited === 0) {
    // The creator is told right away in the reply; the separate "nobody left" notice would repeat it.
    await repos.assignments.claimNotice(assignment.id, 'exhausted', new Date(repos.now()).toISOString());
    return { assignment, created, jobs: [], invited };
  }
  return { assignment, created, jobs, invited };
}

/**
 * Invites up to `want` more candidates while places are open: the town first, then its coordination
 * zone (see rankCandidates). When nobody is left to invite and nobody is still deciding, the staff
 * member is told. Two top-ups racing pick the same person at most once (unique per assignment).
 */
export async function topUp(repos: VolunteerRepos, assignmentId: number, want: number): Promise<JobRequest[]> {
  const { assignments, members, volunteers, towns } = repos;
  const now = repos.now();
  const a = await assignments.get(assignmentId);
  if (!a || a.status !== 'open' || a.startsAt <= now) return [];
  const current = await members.ofAssignment(assignmentId);
  const held = current.filter((m) => HOLDING.includes(m.state)).length;
  const pending = current.filter((m) => m.state === 'invited').length;
  if (held >= a.needed) return [];
  const jobs: JobRequest[] = [];
  const pool = await volunteers.inTowns([a.townId, ...towns.neighbours(a.townId).map((t) => t.id)]);
  const recent = await members.recentCounts(pool.map((v) => v.id), new Date(now - RECENT_MS).toISOString());
  const exclude = new Set(current.flatMap((m) => (m.volunteerId === null ? [] : [m.volunteerId])));
  const nowIso = new Date(now).toISOString();
  for (const v of rankCandidates(a, pool, recent, exclude)) {
    if (jobs.length >= want) break;
    const memberId = await members.invite(assignmentId, v.id, nowIso);
    if (memberId !== undefined) jobs.push(inviteJob(memberId));
  }
  if (jobs.length) await assignments.resetNotice(assignmentId, 'exhausted');
  else if (pending === 0) jobs.push(staffJob(assignmentId, 'exhausted', `${current.length}.${held}`));
  return jobs;
}

/** After an acceptance: when every place is held, tell the staff member once. */
export async function fullCheck(repos: VolunteerRepos, assignmentId: number): Promise<JobRequest[]> {
  const a = await repos.assignments.get(assignmentId);
  if (!a) return [];
  const current = await repos.members.ofAssignment(assignmentId);
  const held = current.filter((m) => HOLDING.includes(m.state)).length;
  return held >= a.needed ? [staffJob(assignmentId, 'full', `${current.length}.${held}`)] : [];
}

/** A place was freed (decline, withdrawal, unreachable, deletion): invite the next candidate. */
export async function placeFreed(repos: VolunteerRepos, assignmentId: number): Promise<JobRequest[]> {
  await repos.assignments.resetNotice(assignmentId, 'full');
  return topUp(repos, assignmentId, 1);
}

/**
 * Staff cancel: the assignment and every open membership change in the database first; each volunteer
 * who had been invited or accepted is then told by a job. A second press finds it already cancelled.
 */
export async function cancelAssignment(repos: VolunteerRepos, assignmentId: number): Promise<{ cancelled: boolean; jobs: JobRequest[] }> {
  const cancelled = await repos.assignments.cancel(assignmentId);
  // Run even when it was already cancelled: a crash between the two updates is finished by the next press.
  if (!cancelled && (await repos.assignments.get(assignmentId))?.status !== 'cancelled') return { cancelled: false, jobs: [] };
  const ids = await repos.members.cancelAll(assignmentId);
  return { cancelled, jobs: ids.map((id) => noticeJob(id, 'cancelled')) };
}
