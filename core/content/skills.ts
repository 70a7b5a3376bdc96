import path from 'node:path';
import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';
import { validate } from './schema-error.ts';
import { ContentError } from '../errors.ts';

const option = z.object({ id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'id must be kebab-case ASCII'), name: z.string().trim().min(1).max(12) });
const schema = z.object({
  skills: z.array(option).min(1),
  availability: z.array(option).min(1),
});

export interface Choice {
  readonly id: string;
  readonly name: string;
}

/** A list of choices a volunteer picks from; ids are what the database stores, names what people read. */
export interface ChoiceList {
  readonly all: readonly Choice[];
  byId(id: string): Choice | undefined;
  /** Names for ids, in the list's order; unknown ids (removed from content since) are skipped. */
  names(ids: readonly string[]): string[];
}

export interface Skills {
  readonly skills: ChoiceList;
  readonly availability: ChoiceList;
}

/**
 * Volunteer skills and availability from content/data/skills.yaml. Availability ids are matched by code
 * (weekdays, weekends, evenings, anytime), so those four must exist; skills are free for editors to extend.
 */
export function loadSkills(contentDir: string): Skills {
  const file = path.join(contentDir, 'data', 'skills.yaml');
  const data = validate(schema, readYamlFile(file), file);
  const skills = choiceList(data.skills, file, 'skills');
  const availability = choiceList(data.availability, file, 'availability');
  for (const id of ['weekdays', 'weekends', 'evenings', 'anytime']) {
    if (!availability.byId(id)) throw new ContentError(file, `availability must include "${id}" (matching uses it)`);
  }
  return { skills, availability };
}

function choiceList(items: readonly Choice[], file: string, what: string): ChoiceList {
  const byId = new Map<string, Choice>();
  for (const c of items) {
    if (byId.has(c.id)) throw new ContentError(file, `${what}: duplicate id "${c.id}"`);
    byId.set(c.id, c);
  }
  return {
    all: items,
    byId: (id) => byId.get(id),
    names: (ids) => items.filter((c) => ids.includes(c.id)).map((c) => c.name),
  };
}
