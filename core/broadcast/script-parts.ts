import type { KbEntry } from '../knowledge/kb-entry.ts';
import type { BroadcastTemplates } from './broadcast-content.ts';
import type { DayPlan } from './calendar.ts';
import { createRandom } from './prng.ts';
import { markdownToReadAloud, toReadAloud } from './read-aloud.ts';
import { countZh, ordinalZh, spokenDate, spokenWeekday } from './spoken.ts';

/** Where a script is read: the whole district, or one street (街道) or town (镇). */
export interface Place {
  readonly name: string;
  readonly kind: 'district' | 'street' | 'town';
}

export const DISTRICT: Place = { name: '渝北区', kind: 'district' };

/** The fixed paragraphs of a day's script and a renderer for its items, all read-aloud text. */
export interface Frame {
  readonly opening: string;
  readonly intro: string;
  lead(count: number): string;
  item(entry: KbEntry, index: number): string;
  readonly local: string;
  readonly closing: string;
}

/** Fills `{name}` placeholders; unknown names were rejected when the templates were loaded. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}

/**
 * The text an entry contributes: its hand-written `broadcast` sentences, or else the start of its
 * short answer made speakable (an entry written before the `broadcast` field existed still works).
 */
export function entrySpeech(entry: KbEntry): string {
  let speech = speeches.get(entry);
  if (speech === undefined) {
    const text = entry.broadcast ? toReadAloud(entry.broadcast) : markdownToReadAloud(entry.answer);
    speech = /[。！？…]$/.test(text) ? text : `${text}。`;
    speeches.set(entry, speech);
  }
  return speech;
}
// Selection measures many candidate items per day; entries are immutable once loaded, so cache.
const speeches = new WeakMap<KbEntry, string>();

/** An entry's title as a spoken lead-in; a title without closing punctuation gets a full stop. */
function spokenTitle(entry: KbEntry): string {
  const title = toReadAloud(entry.title);
  return /[。！？?：:]$/.test(title) ? title.replace(/\?$/, '？').replace(/:$/, '：') : `${title}。`;
}

/**
 * Builds the frame for a day and place. Each slot's variant is drawn from a generator seeded by the
 * date and slot name only, so every town hears the same wording that day apart from its own name.
 */
export function buildFrame(plan: DayPlan, templates: BroadcastTemplates, place: Place): Frame {
  const pick = (slot: string, list: readonly string[]): string => createRandom(`${plan.date}:${slot}`).pick(list);
  const audience = templates.audience[place.kind];
  const base = { place: place.name, audience, theme: plan.theme.name };
  const themeIntro = pick('theme-intro', plan.theme.intro);
  const itemTemplate = pick('item', templates.item);
  const leadTemplate = pick('lead', templates.lead);
  const speak = (s: string): string => toReadAloud(s);
  return {
    opening: speak(fill(pick('opening', templates.opening), { ...base, date: spokenDate(plan.date), weekday: spokenWeekday(plan.date) })),
    intro: speak(fill(pick('intro', templates.intro), { ...base, themeIntro })),
    lead: (count) => speak(fill(leadTemplate, { ...base, count: countZh(count) })),
    item: (entry, index) =>
      fill(itemTemplate, { ordinal: ordinalZh(index + 1), title: spokenTitle(entry), text: entrySpeech(entry) }),
    local: speak(fill(pick('local', templates.local[place.kind]), base)),
    closing: speak(fill(pick('closing', templates.closing), base)),
  };
}
