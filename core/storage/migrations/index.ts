import type { Migration } from 'kysely';
import * as m001 from './001-initial.ts';
import * as m002 from './002-broadcast.ts';
import * as m003 from './003-tips.ts';
import * as m004 from './004-volunteers.ts';
import * as m005 from './005-llm.ts';
import * as m006 from './006-undelivered.ts';
import * as m007 from './007-update-inbox.ts';

/**
 * Every migration, in order. Listed in code (not read from a folder) so they ship with the bundle
 * and run the same under tsx, vitest and a compiled build. Never edit a migration that has shipped:
 * add the next number.
 */
export const migrations: Record<string, Migration> = {
  '001-initial': m001,
  '002-broadcast': m002,
  '003-tips': m003,
  '004-volunteers': m004,
  '005-llm': m005,
  '006-undelivered': m006,
  '007-update-inbox': m007,
};
