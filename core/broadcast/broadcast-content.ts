import path from 'node:path';
import { z } from 'zod';
import { ContentError } from '../errors.ts';
import { readYamlFile } from '../content/yaml-file.ts';
import { validate } from '../content/schema-error.ts';
import { TOPICS } from '../knowledge/kb-entry.ts';
import { isIsoDate } from './dates.ts';
import { NOT_READ_ALOUD } from './read-aloud.ts';

const nonEmpty = z.string().trim().min(1, 'must not be empty');
const variants = z.array(nonEmpty).min(1, 'needs at least one variant');
const topic = z.enum(TOPICS, { errorMap: () => ({ message: `topic must be one of ${TOPICS.join(' ')}` }) });
// Checked against a leap year so that 02-29 is accepted and 02-30 is not.
const monthDay = z.string().refine((s) => /^\d{2}-\d{2}$/.test(s) && isIsoDate(`2024-${s}`), 'expected a month-day such as 05-12');
const isoDate = z
  .union([z.string(), z.date()])
  .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
  .refine(isIsoDate, 'expected a calendar date such as 2026-04-05');
const days = z.number().int().min(0).max(31);
const months = z.array(z.number().int().min(1).max(12)).min(1);

/** When a theme applies; each form is one yearly rule, checked in calendar.ts. */
const whenSchema = z.union([
  z.object({ rule: z.literal('last-monday-of-march') }).strict(),
  z.object({ date: monthDay }).strict(),
  z.object({ months }).strict(),
  z.object({ from: monthDay, to: monthDay }).strict(),
  z.object({ table: nonEmpty, before: days.default(0), after: days.default(0) }).strict(),
], { errorMap: () => ({ message: 'when must be {rule: last-monday-of-march}, {date}, {months}, {from, to} or {table, before?, after?}' }) });

const themeSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case ASCII'),
  name: nonEmpty,
  when: whenSchema,
  priority: z.number().int().min(1).max(1000),
  topics: z.array(topic).default([]),
  tags: z.array(nonEmpty).default([]),
  /** Special days may use an entry again inside the spacing window (e.g. fire safety on 119 day in fire month). */
  mayRepeat: z.boolean().default(false),
  intro: variants,
}).strict().refine((t) => t.topics.length + t.tags.length > 0, 'a theme needs topics or tags to draw entries from');

const calendarSchema = z.object({
  dateTables: z.record(z.array(isoDate).min(1)).default({}),
  general: z.object({
    name: nonEmpty,
    intro: variants,
    /** Topics that sound odd out of season: as general filler they are used only in these months. */
    topicMonths: z.record(topic, months).default({}),
    /** Tags that mark an entry as seasonal (取暖器, 冰面): such entries are read only in these months. */
    tagMonths: z.record(nonEmpty, months).default({}),
  }).strict(),
  themes: z.array(themeSchema).min(1),
}).strict();

const audienceKinds = { district: nonEmpty, street: nonEmpty, town: nonEmpty };
const templatesSchema = z.object({
  audience: z.object(audienceKinds).strict(),
  opening: variants,
  intro: variants,
  lead: variants,
  item: variants,
  local: z.object({ district: variants, street: variants, town: variants }).strict(),
  closing: variants,
}).strict();

export type DateRule = z.infer<typeof whenSchema>;
export type Theme = z.infer<typeof themeSchema>;
export type BroadcastCalendar = z.infer<typeof calendarSchema>;
export type BroadcastTemplates = z.infer<typeof templatesSchema>;

/** The validated broadcast calendar and script templates. */
export interface BroadcastContent {
  readonly calendar: BroadcastCalendar;
  readonly templates: BroadcastTemplates;
}

/** Placeholders each template slot may use; anything else is a typo that would be read aloud as "{…}". */
const PLACEHOLDERS: Record<string, { allowed: string[]; required: string[] }> = {
  opening: { allowed: ['audience', 'place', 'date', 'weekday'], required: ['date', 'weekday'] },
  intro: { allowed: ['themeIntro', 'theme', 'place', 'audience'], required: ['themeIntro'] },
  lead: { allowed: ['count', 'theme'], required: [] },
  item: { allowed: ['ordinal', 'title', 'text'], required: ['text'] },
  local: { allowed: ['place', 'audience'], required: [] },
  closing: { allowed: ['place', 'audience'], required: [] },
};
/** Every closing must give the numbers people should know; the bureau's profile lists these. */
const CLOSING_NUMBERS = ['119', '110', '120', '12350'];

/**
 * Loads `content/broadcast/calendar.yaml` and `templates.yaml`. Bad content throws a ContentError
 * naming the file and the field, so a typo stops start-up instead of reaching a loudspeaker.
 */
export function loadBroadcastContent(contentDir: string): BroadcastContent {
  const calendarFile = path.join(contentDir, 'broadcast', 'calendar.yaml');
  const templatesFile = path.join(contentDir, 'broadcast', 'templates.yaml');
  const calendar = validate(calendarSchema, readYamlFile(calendarFile), calendarFile);
  const templates = validate(templatesSchema, readYamlFile(templatesFile), templatesFile);
  checkCalendar(calendar, calendarFile);
  checkTemplates(templates, templatesFile);
  return { calendar, templates };
}

function checkCalendar(calendar: BroadcastCalendar, file: string): void {
  const ids = new Set<string>();
  calendar.themes.forEach((theme, i) => {
    if (ids.has(theme.id)) throw new ContentError(file, `themes.${i}: duplicate theme id "${theme.id}"`);
    ids.add(theme.id);
    if ('table' in theme.when && !calendar.dateTables[theme.when.table]) {
      throw new ContentError(file, `themes.${i}.when.table: no date table named "${theme.when.table}" under dateTables`);
    }
    theme.intro.forEach((text, j) => checkSpeakable(text, file, `themes.${i}.intro.${j}`));
  });
  calendar.general.intro.forEach((text, j) => checkSpeakable(text, file, `general.intro.${j}`));
}

function checkTemplates(templates: BroadcastTemplates, file: string): void {
  const slots: [string, string, readonly string[]][] = [
    ['opening', 'opening', templates.opening],
    ['intro', 'intro', templates.intro],
    ['lead', 'lead', templates.lead],
    ['item', 'item', templates.item],
    ['local.district', 'local', templates.local.district],
    ['local.street', 'local', templates.local.street],
    ['local.town', 'local', templates.local.town],
    ['closing', 'closing', templates.closing],
  ];
  for (const [where, slot, texts] of slots) {
    const rule = PLACEHOLDERS[slot] ?? { allowed: [], required: [] };
    texts.forEach((text, i) => {
      const used = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '');
      const unknown = used.filter((name) => !rule.allowed.includes(name));
      if (unknown.length) throw new ContentError(file, `${where}.${i}: unknown placeholder {${unknown[0]}} (allowed: ${rule.allowed.join(', ')})`);
      const missing = rule.required.filter((name) => !used.includes(name));
      if (missing.length) throw new ContentError(file, `${where}.${i}: must contain {${missing[0]}}`);
      checkSpeakable(text.replace(/\{\w+\}/g, ''), file, `${where}.${i}`);
      if (slot === 'closing') {
        const absent = CLOSING_NUMBERS.filter((n) => !text.includes(n));
        if (absent.length) throw new ContentError(file, `${where}.${i}: a closing must name ${CLOSING_NUMBERS.join('、')} (missing ${absent.join('、')})`);
      }
    });
  }
  for (const [kind, text] of Object.entries(templates.audience)) checkSpeakable(text, file, `audience.${kind}`);
}

function checkSpeakable(text: string, file: string, where: string): void {
  const bad = NOT_READ_ALOUD.exec(text);
  if (bad) throw new ContentError(file, `${where}: "${bad[0].trim() || bad[0]}" cannot be read aloud; write it in words`);
}
