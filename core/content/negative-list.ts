import path from 'node:path';
import { z } from 'zod';
import { listFiles, readYamlFile } from './yaml-file.ts';
import { validate } from './schema-error.ts';
import { ContentError } from '../errors.ts';

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case ASCII');
const text = z.string().trim().min(1, 'must not be empty');

// Practice ids travel in callback data (64 bytes with the prefix), so they are kept short.
const practiceSchema = z.object({
  id: kebab.refine((id) => id.length <= 40, 'id must be at most 40 characters'),
  name: text,
  description: text,
  examples: z.array(text).min(1, 'needs at least one example'),
}).strict();

const fileSchema = z.object({
  area: z.object({
    id: kebab.refine((id) => id.length <= 20, 'area id must be at most 20 characters'), name: text, icon: text,
    /** Position in the reporter's list (most reported first); ties keep file-name order. */
    order: z.number().int().min(1).default(100),
  }).strict(),
  source: text,
  note: text,
  practices: z.array(practiceSchema).min(1, 'needs at least one practice'),
}).strict();

export interface Practice {
  readonly id: string;
  readonly areaId: string;
  readonly name: string;
  readonly description: string;
  readonly examples: readonly string[];
}
export interface NegativeArea {
  readonly id: string;
  readonly name: string;
  readonly icon: string;
  readonly order: number;
  readonly source: string;
  readonly note: string;
  readonly file: string;
  readonly practices: readonly Practice[];
}
export interface NegativeList {
  readonly areas: readonly NegativeArea[];
  area(id: string): NegativeArea | undefined;
  practice(id: string): Practice | undefined;
}

/** Reserved for "not on the list": a tip may name an area or practice that the list does not have. */
export const OTHER = 'other';

/**
 * The safety negative list residents can report against: one YAML file per key area. Validated at
 * start because practice ids end up in stored tips and in button data; a renamed id would orphan them.
 */
export function loadNegativeList(contentDir: string): NegativeList {
  const dir = path.join(contentDir, 'negative-list');
  const areas: NegativeArea[] = [];
  const practices = new Map<string, Practice>();
  for (const file of listFiles(dir, ['.yaml', '.yml'])) {
    const data = validate(fileSchema, readYamlFile(file), file);
    const id = data.area.id;
    if (id === OTHER) throw new ContentError(file, `area id "${OTHER}" is reserved`);
    if (path.basename(file).replace(/\.ya?ml$/, '') !== id) throw new ContentError(file, `file name must be the area id (${id}.yaml)`);
    const list: Practice[] = [];
    for (const p of data.practices) {
      if (!p.id.startsWith(`${id}-`)) throw new ContentError(file, `practice ${p.id} must start with the area id "${id}-"`);
      const prior = practices.get(p.id);
      if (prior) throw new ContentError(file, `practice id ${p.id} is also used in area ${prior.areaId}`);
      const practice: Practice = { ...p, areaId: id };
      practices.set(p.id, practice);
      list.push(practice);
    }
    areas.push({ id, name: data.area.name, icon: data.area.icon, order: data.area.order, source: data.source, note: data.note, file, practices: list });
  }
  if (!areas.length) throw new ContentError(dir, 'the negative list has no areas');
  areas.sort((a, b) => a.order - b.order);
  const byArea = new Map(areas.map((a) => [a.id, a]));
  return { areas, area: (id) => byArea.get(id), practice: (id) => practices.get(id) };
}
