import { parseArgs } from 'node:util';
import type { Config } from '../../core/config.ts';
import type { Content } from '../../core/content/load-content.ts';
import type { Database } from '../../core/storage/database.ts';
import type { ExportFormat } from '../../core/export/table-export.ts';

/** What an admin command may use; the database is opened only by commands that need it. */
export interface AdminContext {
  readonly config: Config;
  readonly content: Content;
  /** Opens the configured database (closed by the router after the command). */
  database(): Promise<Database>;
  /** Writes to stdout (the export itself); messages for people go to stderr. */
  out(text: string): void;
}

export interface AdminCommand {
  /** One usage line, e.g. `tips export --format csv|json`. */
  readonly usage: string;
  /** Returns the exit code: 0 ok, 1 failed, 2 bad arguments. */
  run(args: string[], ctx: AdminContext): Promise<number>;
}

/** A group of subcommands: `npm run -s admin -- <group> <command> …`. */
export type AdminGroup = Readonly<Record<string, AdminCommand>>;

/** Parses `--format csv|json` (the only option exports take); a message for stderr when it is wrong. */
export function parseExportArgs(args: string[]): { format: ExportFormat } | { error: string } {
  try {
    const { values } = parseArgs({ args, options: { format: { type: 'string' } }, strict: true, allowPositionals: false });
    const format = values.format ?? 'csv';
    if (format !== 'csv' && format !== 'json') return { error: `--format must be csv or json, not "${format}"` };
    return { format };
  } catch (e) {
    return { error: (e as Error).message };
  }
}
