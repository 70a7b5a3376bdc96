import path from 'node:path';
import { z } from 'zod';
import { readYamlFile } from './yaml-file.ts';
import { validate } from './schema-error.ts';
import { ContentError } from '../errors.ts';

const schema = z.object({
  note: z.string().optional(),
  departments: z.array(z.object({
    // Department ids travel in staff button data, so they stay short ASCII.
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case ASCII').max(24, 'id must be at most 24 characters'),
    name: z.string().trim().min(2, 'name must not be empty'),
  }).strict()).min(1, 'needs at least one department'),
}).strict();

export interface Department {
  readonly id: string;
  readonly name: string;
}
export interface Departments {
  readonly all: readonly Department[];
  byId(id: string): Department | undefined;
}

/** The departments staff can hand a tip over to (转办). Ids are stored with tips, so they must stay stable. */
export function loadDepartments(contentDir: string): Departments {
  const file = path.join(contentDir, 'data', 'departments.yaml');
  const data = validate(schema, readYamlFile(file), file);
  const byId = new Map(data.departments.map((d) => [d.id, d]));
  if (byId.size !== data.departments.length) throw new ContentError(file, 'duplicate department id');
  return { all: data.departments, byId: (id) => byId.get(id) };
}
