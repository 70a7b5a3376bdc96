/**
 * `npm run -s admin -- <group> <command> [options]`: staff tools on the configured database.
 *   tips export --format csv|json      every tip (CSV: UTF-8 with BOM for Excel); never reporter identity
 *   volunteers export --format csv|json   the volunteer roster, phone numbers decrypted (staff only)
 *   assignments export --format csv|json  one row per assignment and volunteer, hours; no phones
 * Each group is an AdminGroup in bin/admin/<group>-admin.ts; add yours to GROUPS (one line).
 * Exit codes: 0 done, 1 failed, 2 bad arguments (usage on stderr).
 */
import { openDatabase, type Database } from '../core/storage/database.ts';
import { configOrExit, loadContentOrExit } from './cli-support.ts';
import type { AdminGroup } from './admin/admin-types.ts';
import { tipsAdmin } from './admin/tips-admin.ts';
import { assignmentsAdmin, volunteersAdmin } from './admin/volunteers-admin.ts';

const GROUPS: Readonly<Record<string, AdminGroup>> = {
  tips: tipsAdmin,
  volunteers: volunteersAdmin,
  assignments: assignmentsAdmin,
};

function usage(): string {
  const lines = Object.values(GROUPS).flatMap((g) => Object.values(g).map((c) => `  npm run -s admin -- ${c.usage}`));
  return `Usage:\n${lines.join('\n')}`;
}

async function main(argv: string[]): Promise<number> {
  const [groupName, commandName, ...args] = argv;
  const command = groupName && commandName ? GROUPS[groupName]?.[commandName] : undefined;
  if (!command) {
    console.error(usage());
    return 2;
  }
  const config = configOrExit();
  const content = loadContentOrExit(config.contentDir);
  let database: Database | undefined;
  try {
    return await command.run(args, {
      config, content,
      database: async () => (database ??= await openDatabase(config.databaseFile)),
      out: (text) => void process.stdout.write(text),
    });
  } catch (err) {
    console.error(`admin ${groupName} ${commandName} failed: ${(err as Error).message}`);
    return 1;
  } finally {
    await database?.close();
  }
}

process.exitCode = await main(process.argv.slice(2));
