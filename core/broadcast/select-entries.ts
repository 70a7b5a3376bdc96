import type { KbEntry } from '../knowledge/kb-entry.ts';
import type { BroadcastContent } from './broadcast-content.ts';
import { planDay, preferFreshLead, type DayPlan, type ThemeRef } from './calendar.ts';
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
export const SELECTION_EPOCH = '2026-01-01';
/** Days of history consulted for topic and entry recency. */
const LOOKBACK = 28;
/** Length targets for the district script, in spoken characters; the tests hold every script to 450–900. */
const TARGET_MIN = 520;
const TARGET_MAX = 860;
/** Below this the script would be too short, so spacing gives way (only with a tiny knowledge base). */
const FLOOR = 480;
const MIN_ITEMS = 2;
const MAX_ITEMS = 5;
/** Rank of general filler; themed entries rank below it, out-of-season entries above it. */
const FILLER = 100;

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

interface Candidate {
  readonly entry: KbEntry;
  /** [spacing, rank] on ordinary days; [rank, spacing] on days that may repeat. Lower reads first. */
  readonly head: readonly [number, number];
  /** 0 lead theme, 1… the day's other themes, FILLER general knowledge, above that out of season. */
  readonly rank: number;
  readonly plain: number;
  readonly lastUsed: number;
  readonly tie: number;
  readonly recent: boolean;
}

const idHashes = new WeakMap<KbEntry, number>();
const idHash = (e: KbEntry): number => {
  let h = idHashes.get(e);
  if (h === undefined) idHashes.set(e, (h = hashText(e.id)));
  return h;
};
/** A 32-bit integer mix so the per-day tie-break order of entries looks shuffled, not sorted by id. */
const mix = (x: number): number => {
  let h = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
};

const matches = (theme: ThemeRef, e: KbEntry): boolean =>
  theme.topics.includes(e.topic) || e.tags.some((tag) => theme.tags.includes(tag));

/** Selects one day given the days before it (chronological, most recent last). */
function selectDay(content: SelectionContent, date: string, previous: readonly DaySelection[], alsoRecent: ReadonlySet<string>): DaySelection {
  const { calendar, templates } = content.broadcast;
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
  const plan = preferFreshLead(planDay(date, calendar), (t) => content.entries.some((e) => matches(t, e) && !recent(e)));
  const month = monthOf(date);
  const { topicMonths, tagMonths } = calendar.general;
  const offSeasonTag = (e: KbEntry): boolean => e.tags.some((t) => tagMonths[t]?.includes(month) === false);
  // Lower rank reads first: the lead theme, then the day's other themes, then general filler, then anything.
  const rank = (e: KbEntry): number => {
    if (offSeasonTag(e)) return FILLER + 100;
    if (matches(plan.theme, e)) return 0;
    const other = plan.others.findIndex((t) => matches(t, e));
    if (other >= 0) return 1 + other;
    return topicMonths[e.topic]?.includes(month) === false ? FILLER + 100 : FILLER;
  };
  // Static sort keys for the day; only topic recency changes while the day's entries are picked.
  const dayHash = hashText(date);
  const candidates: Candidate[] = content.entries.map((e) => ({
    entry: e,
    head: plan.mayRepeat ? [rank(e), recent(e) ? 1 : 0] : [recent(e) ? 1 : 0, rank(e)],
    rank: rank(e),
    plain: e.broadcast ? 0 : 1,
    lastUsed: lastEntry.get(e.id) ?? -Infinity,
    tie: mix(idHash(e) ^ dayHash),
    recent: recent(e),
  }));
  const better = (a: Candidate, b: Candidate): boolean => {
    if (a.head[0] !== b.head[0]) return a.head[0] < b.head[0];
    if (a.head[1] !== b.head[1]) return a.head[1] < b.head[1];
    if (a.plain !== b.plain) return a.plain < b.plain;
    const ta = lastTopic.get(a.entry.topic) ?? -Infinity;
    const tb = lastTopic.get(b.entry.topic) ?? -Infinity;
    if (ta !== tb) return ta < tb;
    if (a.lastUsed !== b.lastUsed) return a.lastUsed < b.lastUsed;
    return a.tie < b.tie;
  };

  // A season lasts months but its pool holds a few dozen entries: reading at most pool/14 of them a day
  // (at least one) keeps some fresh for every day of the season; general knowledge fills the rest.
  const themed = candidates.filter((c) => c.rank < FILLER).length;
  const quota = plan.mayRepeat ? MAX_ITEMS : Math.max(1, Math.floor(themed / SPACING_DAYS));
  let themedToday = 0;

  const frame = buildFrame(plan, templates, DISTRICT);
  let total = countChars(frame.opening + frame.intro + frame.lead(MAX_ITEMS) + frame.local + frame.closing);
  const chosen: KbEntry[] = [];
  const pass = (allowRecent: boolean, goal: number, limitThemed: boolean): void => {
    const skipped = new Set<Candidate>();
    while (chosen.length < MAX_ITEMS && (total < goal || chosen.length < MIN_ITEMS)) {
      let best: Candidate | undefined;
      for (const c of candidates) {
        if (skipped.has(c) || chosen.includes(c.entry) || (!allowRecent && c.recent)) continue;
        if (limitThemed && themedToday >= quota && c.rank < FILLER) continue;
        if (!best || better(c, best)) best = c;
      }
      if (!best) return;
      const len = countChars(frame.item(best.entry, chosen.length));
      if (total + len > TARGET_MAX) {
        skipped.add(best);
        continue;
      }
      chosen.push(best.entry);
      total += len;
      if (best.rank < FILLER) themedToday++;
      lastTopic.set(best.entry.topic, n); // the next pick prefers another topic
    }
  };
  pass(plan.mayRepeat, TARGET_MIN, true);
  if (total < FLOOR) pass(true, FLOOR, false);
  return { plan, entries: chosen };
}
