import { enqueueAll } from '../../core/volunteers/job-requests.ts';
import type { AssignmentInput } from '../../core/volunteers/assignment-store.ts';
import { createAssignment } from '../../core/volunteers/staffing.ts';
import { HOUR, STAFF_ID, T0, type VolunteerHarness } from './volunteer-harness.ts';

/** Registers a volunteer directly (the sign-up conversation has its own tests) and makes their chat known. */
export async function seedVolunteer(h: VolunteerHarness, userId: number, townId: string, skills: string[] = [], availability = ['anytime'], name = `志愿者${userId}`) {
  await h.deps.volunteers.volunteers.register(userId, { name, phone: `138${String(userId).padStart(8, '0')}`, townId, community: '双湖社区', skills, availability }, new Date(T0).toISOString());
  h.api.addChat({ id: userId, type: 'private', first_name: name });
  return (await h.deps.volunteers.volunteers.byUserId(userId))!;
}

/** Tomorrow (Wednesday 2 December) 09:00–12:00 in 两路街道, unless overridden. */
export function assignmentInput(o: Partial<AssignmentInput> = {}): AssignmentInput {
  return { title: '防汛巡查', description: '沿河巡查水位，带好雨衣', townId: 'lianglu', place: '双湖公园北门', startsAt: T0 + 24 * HOUR, endsAt: T0 + 27 * HOUR, skills: [], needed: 1, ...o };
}

/** Creates an assignment as /assign's 确认 would (same core call) and queues its invitations. */
export async function seedAssignment(h: VolunteerHarness, o: Partial<AssignmentInput> = {}) {
  const repos = { ...h.deps.volunteers, now: h.clock.now };
  const r = await createAssignment(repos, assignmentInput(o), STAFF_ID, `seed-${Math.random()}`);
  await enqueueAll(h.queue, r.jobs);
  return r.assignment;
}
