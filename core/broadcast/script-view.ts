import { addDays, isSupportedDate } from './dates.ts';
import { spokenWeekday } from './spoken.ts';

/**
 * A calm loudspeaker pace in Chinese is about 300 characters a minute (the 450–900 characters
 * for 2–3 minutes); the estimate tells an operator how long to plan for, so whole minutes are enough.
 */
export const CHARS_PER_MINUTE = 300;

export function readingMinutes(chars: number): number {
  return Math.max(1, Math.round(chars / CHARS_PER_MINUTE));
}

/** The parts a page or a button shows for a day, with months and days unpadded as people write them. */
export function dayParts(date: string): { year: number; month: number; day: number; weekday: string } {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  return { year, month, day, weekday: spokenWeekday(date) };
}

/** The neighbouring days that still have a script; undefined at either end of the supported years. */
export function neighbourDays(date: string): { prev?: string; next?: string } {
  const prev = addDays(date, -1);
  const next = addDays(date, 1);
  return { prev: isSupportedDate(prev) ? prev : undefined, next: isSupportedDate(next) ? next : undefined };
}

/** Paragraphs of the read-aloud text (blank-line separated), for pages that show them one by one. */
export function paragraphsOf(text: string): string[] {
  return text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
}
