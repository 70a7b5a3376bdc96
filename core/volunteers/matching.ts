import { localParts } from './local-time.ts';
import type { Volunteer } from './volunteer-store.ts';

export interface MatchTarget {
  readonly townId: string;
  readonly startsAt: number;
  readonly skills: readonly string[];
}

/**
 * When a volunteer said they can help: `anytime`; `evenings` from 18:00 to 06:00; `weekends` on Saturday
 * and Sunday; `weekdays` Monday to Friday in the daytime. The assignment's start time decides.
 */
export function fitsAvailability(availability: readonly string[], startsAt: number): boolean {
  if (availability.includes('anytime')) return true;
  const { hour, weekday } = localParts(startsAt);
  const evening = hour >= 18 || hour < 6;
  const weekend = weekday === 0 || weekday === 6;
  return (evening && availability.includes('evenings')) || (weekend && availability.includes('weekends')) || (!weekend && !evening && availability.includes('weekdays'));
}

/** Not paused, or paused only until a day on or before the assignment's day. */
export function isAvailableOn(v: Volunteer, startsAt: number): boolean {
  if (v.status === 'active' || !v.pausedUntil) return true;
  return localParts(startsAt).date >= v.pausedUntil;
}

/**
 * Orders who to invite next. Volunteers in the assignment's own town come first; neighbours from the
 * same coordination zone only after them, so they are reached only when the town has too few. Within
 * a tier: more of the needed skills first, then fewer recent assignments (spreading the load), then
 * earlier sign-up (stable, so the order is explainable to staff).
 */
export function rankCandidates(
  target: MatchTarget,
  volunteers: readonly Volunteer[],
  recent: ReadonlyMap<number, number>,
  exclude: ReadonlySet<number>,
): Volunteer[] {
  const skillHits = (v: Volunteer): number => target.skills.filter((s) => v.skills.includes(s)).length;
  return volunteers
    .filter((v) => !exclude.has(v.id) && isAvailableOn(v, target.startsAt) && fitsAvailability(v.availability, target.startsAt))
    .map((v) => ({ v, home: v.townId === target.townId ? 0 : 1, hits: skillHits(v), recent: recent.get(v.id) ?? 0 }))
    .sort((a, b) => a.home - b.home || b.hits - a.hits || a.recent - b.recent || a.v.id - b.v.id)
    .map((x) => x.v);
}
