import type { KbEntry } from '../knowledge/kb-entry.ts';
import type { BroadcastContent } from './broadcast-content.ts';
import { planDay, type DayPlan, type ThemeRef } from './calendar.ts';
import { dayNumber, fromDayNumber, monthOf } from './dates.ts';
import { hashText } from './prng.ts';
import { countChars } from './read-aloud.ts';
import { buildFrame, DISTRICT } from './script-parts.ts';

/**
 * Which knowledge-base entries a day's script reads.
 *
 * Reproducibility: the selection for a date depends only on the date and the content. It is the
 * result of one deterministic walk that starts at SELECTION_EPOCH with no history and selects each
 * day in turn, looking back at the days already selected. Any process that asks for a date walks the
 * same path and gets the same answer; the walk is memoised per loaded content, so a year of scripts
 * costs one pass. Dates before the epoch are selected on their own, without history.
 *
 * Spacing: an entry read on one day is not read again in the next SPACING_DAYS - 1 days (so never
 * twice in any 14 consecutive days), except on a special day whose theme says `mayRepeat`. Topics
 * are spread softly: among equally suitable entries, the topic heard longest ago wins. A hard
 * 14-day ban on topics would contradict the calendar, whose seasons (汛期, five months) draw on a
 * few topics day after day.
 */
export const SPACING_DAYS = 14;
export const SELECTION_EPOCH = '2025-01-01';
/** Days of history consulted for topic and entry recency. */
const LOOKBACK = 28;
/** Length targets for the district script, in spoken characters; the tests hold every script to 450–900. */
const TARGET_MIN = 520;
const TARGET_MAX = 860;
/** Below this the script would be too short, so spacing gives way (only with a tiny knowledge base). */
const FLOOR = 480;
const MIN_ITEMS = 2;
const MAX_ITEMS = 5;

export interface SelectionContent {
  readonly entries: readonly KbEntry[];
  readonly broadcast: BroadcastContent;
}

export interface DaySelection {
  readonly plan: DayPlan;
  readonly entries: readonly KbEntry[];
}

interface Walk {
  readonly days: DaySelection[];
}
const walks = new WeakMap<readonly KbEntry[], WeakMap<BroadcastContent, Walk>>();

/**
 * The entries for a date. `alsoRecent` names entries known to have been broadcast in the last
 * SPACING_DAYS - 1 days outside this walk (for example a script edited by hand); they are avoided too.
 */
export function selectionFor(content: SelectionContent, date: string, alsoRecent: ReadonlySet<string> = new Set()): DaySelection {
  const n = dayNumber(date);
  const epoch = dayNumber(SELECTION_EPOCH);
  if (n < epoch) return selectDay(content, date, [], alsoRecent);
  let byBroadcast = walks.get(content.entries);
  if (!byBroadcast) walks.set(content.entries, (byBroadcast = new WeakMap()));
  let walk = byBroadcast.get(content.broadcast);
  if (!walk) byBroadcast.set(content.broadcast, (walk = { days: [] }));
  while (walk.days.length <= n - epoch) {
    const k = walk.days.length;
    walk.days.push(selectDay(content, fromDayNumber(epoch + k), walk.days.slice(Math.max(0, k - LOOKBACK), k), new Set()));
  }
  const stored = walk.days[n - epoch]!;
  if (!alsoRecent.size) return stored;
  return selectDay(content, date, walk.days.slice(Math.max(0, n - epoch - LOOKBACK), n - epoch), alsoRecent);
}

const matches = (theme: ThemeRef, e: KbEntry): boolean =>
  theme.topics.includes(e.topic) || e.tags.some((tag) => theme.tags.includes(tag));

/** Selects one day given the days before it (chronological, most recent last). */
function selectDay(content: SelectionContent, date: string, previous: readonly DaySelection[], alsoRecent: ReadonlySet<string>): DaySelection {
  const { calendar, templates } = content.broadcast;
  const plan = planDay(date, calendar);
  const n = dayNumber(date);
  const lastEntry = new Map<string, number>();
  const lastTopic = new Map<string, number>();
  for (const day of previous) {
    const d = dayNumber(day.plan.date);
    for (const e of day.entries) {
      lastEntry.set(e.id, d);
      lastTopic.set(e.topic, d);
    }
  }
  const recent = (e: KbEntry): boolean => alsoRecent.has(e.id) || n - (lastEntry.get(e.id) ?? -Infinity) < SPACING_DAYS;
  const month = monthOf(date);
  const fillerMonths = calendar.general.topicMonths as Partial<Record<string, number[]>>;
  // Lower rank reads first: the lead theme, then the day's other themes, then general filler, then anything.
  const rank = (e: KbEntry): number => {
    if (matches(plan.theme, e)) return 0;
    const other = plan.others.findIndex((t) => matches(t, e));
    if (other >= 0) return 1 + other;
    return fillerMonths[e.topic]?.includes(month) === false ? 200 : 100;
  };
  const keys = new Map(content.entries.map((e) => [e, [rank(e), e.broadcast ? 0 : 1, hashText(`${date}:${e.id}`)] as const]));
  const key = (e: KbEntry): number[] => {
    const [r, plain, tie] = keys.get(e)!;
    const spacing = recent(e) ? 1 : 0;
    const head = plan.mayRepeat ? [r, spacing] : [spacing, r];
    return [...head, plain, lastTopic.get(e.topic) ?? -Infinity, lastEntry.get(e.id) ?? -Infinity, tie];
  };
  const less = (a: number[], b: number[]): boolean => {
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
    return false;
  };

  const frame = buildFrame(plan, templates, DISTRICT);
  let total = countChars(frame.opening + frame.intro + frame.lead(MAX_ITEMS) + frame.local + frame.closing);
  const chosen: KbEntry[] = [];
  const pass = (allowRecent: boolean, goal: number): void => {
    const skipped = new Set<KbEntry>();
    while (chosen.length < MAX_ITEMS && (total < goal || chosen.length < MIN_ITEMS)) {
      let best: KbEntry | undefined;
      let bestKey: number[] = [];
      for (const e of content.entries) {
        if (skipped.has(e) || chosen.includes(e) || (!allowRecent && recent(e))) continue;
        const k = key(e);
        if (!best || less(k, bestKey)) [best, bestKey] = [e, k];
      }
      if (!best) return;
      const len = countChars(frame.item(best, chosen.length));
      if (total + len > TARGET_MAX) {
        skipped.add(best);
        continue;
      }
      chosen.push(best);
      total += len;
      lastTopic.set(best.topic, n); // the next pick prefers another topic
    }
  };
  pass(plan.mayRepeat, TARGET_MIN);
  if (total < FLOOR) pass(true, FLOOR);
  return { plan, entries: chosen };
}
