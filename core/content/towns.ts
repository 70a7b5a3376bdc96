import path from 'node:path';
import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';
import { validate } from './schema-error.ts';
import { ContentError } from '../errors.ts';

const schema = z.object({
  note: z.string().optional(),
  towns: z.array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), name: z.string().min(2), kind: z.enum(['街道', '镇']), zone: z.string().min(1) })),
  zones: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), towns: z.array(z.string()).min(1) })),
});

export interface Town {
  readonly id: string;
  readonly name: string;
  readonly kind: '街道' | '镇';
  readonly zone: string;
}
export interface Zone {
  readonly id: string;
  readonly name: string;
  readonly towns: readonly string[];
}
export interface Towns {
  readonly all: readonly Town[];
  readonly zones: readonly Zone[];
  byId(id: string): Town | undefined;
  /** Accepts a town's full name, its name without 街道/镇, or its id. */
  find(text: string): Town | undefined;
  /** Other towns in the same emergency coordination zone. */
  neighbours(id: string): Town[];
}

/** The 22 towns and streets of Yubei and the coordination zones; every town sits in exactly one zone. */
export function loadTowns(contentDir: string): Towns {
  const file = path.join(contentDir, 'data', 'towns.yaml');
  const data = validate(schema, readYamlFile(file), file);
  const byId = new Map(data.towns.map((t) => [t.id, t]));
  if (byId.size !== data.towns.length) throw new ContentError(file, 'duplicate town id');
  const placed = new Map<string, string>();
  for (const z of data.zones) {
    for (const t of z.towns) {
      if (!byId.has(t)) throw new ContentError(file, `zone ${z.id} names unknown town ${t}`);
      if (placed.has(t)) throw new ContentError(file, `town ${t} is in zones ${placed.get(t)} and ${z.id}`);
      placed.set(t, z.id);
      if (byId.get(t)!.zone !== z.id) throw new ContentError(file, `town ${t} says zone ${byId.get(t)!.zone} but is listed in ${z.id}`);
    }
  }
  const missing = data.towns.filter((t) => !placed.has(t.id)).map((t) => t.id);
  if (missing.length) throw new ContentError(file, `towns in no zone: ${missing.join(', ')}`);
  const short = (name: string): string => name.replace(/(街道|镇)$/, '');
  return {
    all: data.towns,
    zones: data.zones,
    byId: (id) => byId.get(id),
    find: (text) => {
      const t = text.trim();
      return data.towns.find((x) => x.id === t || x.name === t || short(x.name) === t);
    },
    neighbours: (id) => {
      const zone = byId.get(id)?.zone;
      return data.towns.filter((t) => t.zone === zone && t.id !== id);
    },
  };
}
