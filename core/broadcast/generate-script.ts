import { UserFacingError } from '../errors.ts';
import type { Towns } from '../content/towns.ts';
import type { KbEntry } from '../knowledge/kb-entry.ts';
import type { BroadcastContent } from './broadcast-content.ts';
import { dayNumber, isSupportedDate, MAX_YEAR, MIN_YEAR } from './dates.ts';
import { countChars } from './read-aloud.ts';
import { renderScriptHtml, renderScriptMarkdown } from './render-script.ts';
import { buildFrame, DISTRICT, type Place } from './script-parts.ts';
import { selectionFor, SPACING_DAYS } from './select-entries.ts';

/** The content a script is built from; the loaded `Content` satisfies it. */
export interface ScriptContent {
  readonly kb: { readonly entries: readonly KbEntry[] };
  readonly broadcast: BroadcastContent;
  readonly towns?: Towns;
}

/** A script actually broadcast, e.g. from the database; used only to avoid repeating its entries. */
export interface BroadcastRecord {
  readonly date: string;
  readonly entryIds: readonly string[];
}

export interface GenerateScriptInput {
  /** The calendar day in Asia/Shanghai, YYYY-MM-DD. */
  readonly date: string;
  /** A town or street id or name (龙兴镇, 龙兴, longxing); omitted for the district-wide script. */
  readonly town?: string;
  readonly content: ScriptContent;
  readonly history?: readonly BroadcastRecord[];
}

export interface ScriptSource {
  readonly id: string;
  readonly title: string;
}

/** A day's broadcast script in every form the operator needs. */
export interface BroadcastScript {
  readonly date: string;
  readonly title: string;
  readonly theme: { readonly id: string; readonly name: string };
  /** Read-aloud text: paragraphs separated by blank lines, no markup, symbols or list markers. */
  readonly text: string;
  readonly markdown: string;
  /** An HTML fragment with all content escaped. */
  readonly html: string;
  /** Knowledge-base topics the script covers, in reading order. */
  readonly topics: readonly string[];
  /** The entries read, in reading order. */
  readonly sources: readonly ScriptSource[];
  /** Spoken characters in `text` (whitespace excluded). */
  readonly chars: number;
}

/**
 * Generates the broadcast script for a date, district-wide or for one town or street.
 *
 * Deterministic: the same date, town and content always give the same script (variants come from a
 * PRNG seeded by the date; entries from the walk in select-entries.ts). A town changes only the
 * wording that names the place, never the entries, so neighbouring villages hear the same advice.
 * Throws RangeError for a malformed or unsupported date and UserFacingError for an unknown town.
 */
export function generateScript(input: GenerateScriptInput): BroadcastScript {
  const { date, content } = input;
  if (!isSupportedDate(date)) throw new RangeError(`date must be a real day YYYY-MM-DD in ${MIN_YEAR}–${MAX_YEAR}: ${date}`);
  const place = input.town === undefined ? DISTRICT : resolvePlace(input.town, content.towns);
  const n = dayNumber(date);
  const alsoRecent = new Set(
    (input.history ?? []).filter((h) => isSupportedDate(h.date) && n - dayNumber(h.date) > 0 && n - dayNumber(h.date) < SPACING_DAYS).flatMap((h) => h.entryIds),
  );
  const { plan, entries } = selectionFor({ entries: content.kb.entries, broadcast: content.broadcast }, date, alsoRecent);
  const frame = buildFrame(plan, content.broadcast.templates, place);
  const paragraphs = [
    frame.opening,
    `${frame.intro}${frame.lead(entries.length)}`,
    ...entries.map((e, i) => frame.item(e, i)),
    frame.local,
    frame.closing,
  ];
  const text = paragraphs.join('\n\n');
  const [y, m, d] = date.split('-').map(Number);
  const title = `${place.name}安全广播稿（${y}年${m}月${d}日 · ${plan.theme.name}）`;
  const doc = { date, title, themeName: plan.theme.name, paragraphs, entries };
  return {
    date,
    title,
    theme: { id: plan.theme.id, name: plan.theme.name },
    text,
    markdown: renderScriptMarkdown(doc),
    html: renderScriptHtml(doc),
    topics: [...new Set(entries.map((e) => e.topic))],
    sources: entries.map((e) => ({ id: e.id, title: e.title })),
    chars: countChars(text),
  };
}

function resolvePlace(town: string, towns: Towns | undefined): Place {
  const found = towns?.find(town);
  if (!found) {
    throw new UserFacingError(`没有找到镇街“${town}”。请写镇街名称（如“龙兴镇”或“龙兴”）或编号（如 longxing）。`, `unknown town: ${town}`);
  }
  return { name: found.name, kind: found.kind === '镇' ? 'town' : 'street' };
}
