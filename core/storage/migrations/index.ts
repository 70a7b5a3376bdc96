import type { Migration } from 'kysely';
import * as m001 from './001-initial.ts';

/**
 * Every migration, in order. Listed in code (not read from a folder) so they ship with the bundle
 * and run the same under tsx, vitest and a compiled build. Never edit a migration that has shipped:
 * add the next number.
 */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
};
