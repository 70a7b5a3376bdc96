import type { Assignment } from './assignment-store.ts';
import type { Member } from './member-store.ts';
import { CHECK_IN_EARLY_MS, reminderJob, wrapupJob, type JobRequest } from './job-requests.ts';
import { fullCheck, placeFreed } from './staffing.ts';
import type { VolunteerRepos } from './repos.ts';

/**
 * What a volunteer's button press did. `expired` covers a forged id, someone else's membership and a
 * state that no longer allows the action; the bot shows the polite "expired" for it.
 */
export type DutyOutcome =
  | 'accepted' | 'already-accepted' | 'full' | 'cancelled' | 'declined' | 'already-declined' | 'withdrawn'
  | 'checked-in' | 'already-checked-in' | 'too-early' | 'ended' | 'checked-out' | 'already-checked-out' | 'expired';

export interface DutyResult {
  readonly outcome: DutyOutcome;
  readonly jobs: JobRequest[];
  readonly assignment?: Assignment;
  readonly member?: Member;
}

type Action = 'acc' | 'dec' | 'wd' | 'in' | 'out';
const MAX_SHIFT_MINUTES = 24 * 60;

/** Loads the membership and its assignment, but only for the volunteer it belongs to. */
async function own(repos: VolunteerRepos, memberId: number, userId: number): Promise<{ m: Member; a: Assignment } | undefined> {
  const m = await repos.members.get(memberId);
  if (!m || m.userId !== userId) return undefined;
  const a = await repos.assignments.get(m.assignmentId);
  return a ? { m, a } : undefined;
}

/**
 * Every answer on an assignment goes through a conditional update in the database, so a button
 * pressed twice, a redelivered update or two volunteers pressing at once each have one effect.
 */
export async function respond(repos: VolunteerRepos, memberId: number, userId: number, action: Action): Promise<DutyResult> {
  const found = await own(repos, memberId, userId);
  if (!found) return { outcome: 'expired', jobs: [] };
  const { m, a } = found;
  const now = repos.now();
  const nowIso = new Date(now).toISOString();
  const done = async (outcome: DutyOutcome, jobs: JobRequest[] = []): Promise<DutyResult> =>
    ({ outcome, jobs, assignment: a, member: (await repos.members.get(memberId)) ?? m });
  if (a.status === 'cancelled') return done('cancelled');

  switch (action) {
    case 'acc': {
      if (m.state !== 'invited') return done(m.state === 'declined' ? 'already-declined' : ['accepted', 'checked_in', 'done'].includes(m.state) ? 'already-accepted' : m.state === 'late' ? 'full' : 'expired');
      if (a.endsAt <= now) return done('ended');
      const r = await repos.members.claimSlot(memberId, nowIso);
      if (r === 'accepted') return done('accepted', [...reminderJob(memberId, a.startsAt, now), ...(await fullCheck(repos, a.id))]);
      if (r === 'full') {
        await repos.members.move(memberId, ['invited'], 'late', { responded_at: nowIso });
        return done('full');
      }
      if (r === 'closed') return done('cancelled');
      const again = await repos.members.get(memberId);
      return done(again?.state === 'accepted' ? 'already-accepted' : 'expired');
    }
    case 'dec': {
      if (await repos.members.move(memberId, ['invited'], 'declined', { responded_at: nowIso })) return done('declined', await placeFreed(repos, a.id));
      return done(m.state === 'declined' ? 'already-declined' : 'expired');
    }
    case 'wd': {
      if (now >= a.startsAt) return done('expired');
      if (await repos.members.move(memberId, ['accepted'], 'withdrawn', { responded_at: nowIso })) return done('withdrawn', await placeFreed(repos, a.id));
      return done('expired');
    }
    case 'in': {
      if (m.state === 'checked_in' || m.state === 'done') return done('already-checked-in');
      if (m.state !== 'accepted') return done('expired');
      if (now < a.startsAt - CHECK_IN_EARLY_MS) return done('too-early');
      if (now > a.endsAt) return done('ended');
      if (await repos.members.move(memberId, ['accepted'], 'checked_in', { checked_in_at: nowIso })) return done('checked-in', [wrapupJob(memberId, a.endsAt, now)]);
      return done('already-checked-in');
    }
    case 'out': {
      if (m.state === 'done') return done('already-checked-out');
      if (m.state !== 'checked_in' || !m.checkedInAt) return done('expired');
      const minutes = Math.min(MAX_SHIFT_MINUTES, Math.max(0, Math.round((now - Date.parse(m.checkedInAt)) / 60_000)));
      if (await repos.members.move(memberId, ['checked_in'], 'done', { checked_out_at: nowIso, minutes })) return done('checked-out');
      return done('already-checked-out');
    }
  }
}

/** A short report after checking out: text (already validated) and/or a photo file_id. */
export async function saveReport(repos: VolunteerRepos, memberId: number, userId: number, text: string | null, photo: string | null): Promise<boolean> {
  const found = await own(repos, memberId, userId);
  if (!found || found.m.state !== 'done') return false;
  return repos.members.move(memberId, ['done'], 'done', { report_text: text, report_photo: photo });
}

/**
 * /delete_me for a volunteer: open invitations are declined and held places given back (the next
 * candidate is invited), a shift in progress is closed with the hours so far, free-text reports are
 * removed, then the volunteer row is deleted. Assignment records keep state and hours with no person.
 */
export async function eraseVolunteer(repos: VolunteerRepos, userId: number): Promise<{ erased: boolean; jobs: JobRequest[] }> {
  const v = await repos.volunteers.byUserId(userId);
  if (!v) return { erased: false, jobs: [] };
  const now = repos.now();
  const nowIso = new Date(now).toISOString();
  const jobs: JobRequest[] = [];
  // The volunteer is still on each assignment while places are refilled, so they are never re-invited.
  for (const m of await repos.members.ofVolunteer(v.id)) {
    if (m.state === 'invited' && (await repos.members.move(m.id, ['invited'], 'declined', { responded_at: nowIso }))) {
      jobs.push(...(await placeFreed(repos, m.assignmentId)));
    } else if (m.state === 'accepted' && (await repos.members.move(m.id, ['accepted'], 'withdrawn', { responded_at: nowIso }))) {
      jobs.push(...(await placeFreed(repos, m.assignmentId)));
    } else if (m.state === 'checked_in' && m.checkedInAt) {
      const minutes = Math.min(MAX_SHIFT_MINUTES, Math.max(0, Math.round((now - Date.parse(m.checkedInAt)) / 60_000)));
      await repos.members.move(m.id, ['checked_in'], 'done', { checked_out_at: nowIso, minutes });
    }
  }
  await repos.members.clearReports(v.id);
  await repos.volunteers.remove(userId);
  return { erased: true, jobs };
}

export interface YearSummary {
  readonly count: number;
  readonly minutes: number;
  readonly items: { title: string; startsAt: number; minutes: number }[];
}

/** /myhours: completed assignments and hours in the given local year (by the start of each assignment). */
export async function yearSummary(repos: VolunteerRepos, userId: number, yearStartIso: string, yearEndIso: string): Promise<YearSummary | undefined> {
  const v = await repos.volunteers.byUserId(userId);
  if (!v) return undefined;
  const items: YearSummary['items'] = [];
  for (const m of await repos.members.ofVolunteer(v.id)) {
    if (m.state !== 'done') continue;
    const a = await repos.assignments.get(m.assignmentId);
    if (!a) continue;
    const iso = new Date(a.startsAt).toISOString();
    if (iso >= yearStartIso && iso < yearEndIso) items.push({ title: a.title, startsAt: a.startsAt, minutes: m.minutes ?? 0 });
  }
  return { count: items.length, minutes: items.reduce((s, i) => s + i.minutes, 0), items };
}
