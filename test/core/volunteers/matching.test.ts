import { describe, expect, it } from 'vitest';
import { fitsAvailability, rankCandidates } from '../../../core/volunteers/matching.ts';
import type { Volunteer } from '../../../core/volunteers/volunteer-store.ts';

const at = (iso: string): number => Date.parse(`${iso}+08:00`);
const TUESDAY_9 = at('2026-12-01T09:00');
const SATURDAY_9 = at('2026-12-05T09:00');
const TUESDAY_20 = at('2026-12-01T20:00');

let nextId = 1;
const v = (townId: string, skills: string[] = [], extra: Partial<Volunteer> = {}): Volunteer => ({
  id: nextId++, userId: 1000 + nextId, name: 'v', townId, community: 'c', skills, availability: ['anytime'], status: 'active', createdAt: '', ...extra,
});

describe('matching', () => {
  it('availability follows the start time: weekday daytime, weekend, evening, any time', () => {
    expect(fitsAvailability(['weekdays'], TUESDAY_9)).toBe(true);
    expect(fitsAvailability(['weekdays'], SATURDAY_9)).toBe(false);
    expect(fitsAvailability(['weekends'], SATURDAY_9)).toBe(true);
    expect(fitsAvailability(['weekdays'], TUESDAY_20)).toBe(false);
    expect(fitsAvailability(['evenings'], TUESDAY_20)).toBe(true);
    expect(fitsAvailability(['anytime'], TUESDAY_20)).toBe(true);
  });

  it('home town first, then the zone; within a tier skills, then fewer recent assignments, then sign-up order', () => {
    const homeNoSkill = v('lianglu');
    const homeSkillBusy = v('lianglu', ['first-aid']);
    const homeSkill = v('lianglu', ['first-aid', 'driver']);
    const neighbourSkill = v('wangjia', ['first-aid']);
    const recent = new Map([[homeSkillBusy.id, 3]]);
    const ranked = rankCandidates({ townId: 'lianglu', startsAt: TUESDAY_9, skills: ['first-aid'] }, [neighbourSkill, homeNoSkill, homeSkillBusy, homeSkill], recent, new Set());
    expect(ranked.map((x) => x.id)).toEqual([homeSkill.id, homeSkillBusy.id, homeNoSkill.id, neighbourSkill.id]);
  });

  it('leaves out those already on the assignment, paused past the day, or not available then', () => {
    const invited = v('lianglu');
    const paused = v('lianglu', [], { status: 'paused', pausedUntil: '2026-12-10' });
    const pausedUntilToday = v('lianglu', [], { status: 'paused', pausedUntil: '2026-12-01' });
    const weekendsOnly = v('lianglu', [], { availability: ['weekends'] });
    const ranked = rankCandidates({ townId: 'lianglu', startsAt: TUESDAY_9, skills: [] }, [invited, paused, pausedUntilToday, weekendsOnly], new Map(), new Set([invited.id]));
    expect(ranked.map((x) => x.id)).toEqual([pausedUntilToday.id]);
  });
});
