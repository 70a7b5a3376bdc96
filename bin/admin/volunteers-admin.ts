import { exportTable, type ExportFormat } from '../../core/export/table-export.ts';
import { createVolunteerRepos } from '../../core/volunteers/repos.ts';
import { membershipColumns, membershipsForExport, volunteerColumns, volunteersForExport } from '../../core/volunteers/volunteer-export.ts';
import { parseExportArgs, type AdminCommand, type AdminContext, type AdminGroup } from './admin-types.ts';

type Exporter = (format: ExportFormat, ctx: AdminContext) => Promise<{ text: string; summary: string }>;

function exportCommand(usage: string, make: Exporter): AdminCommand {
  return {
    usage,
    async run(args, ctx) {
      const parsed = parseExportArgs(args);
      if ('error' in parsed) {
        console.error(parsed.error);
        return 2;
      }
      const { text, summary } = await make(parsed.format, ctx);
      ctx.out(text);
      // Counts only on stderr: the rows (names, phones) go to stdout and nowhere else.
      console.error(summary);
      return 0;
    },
  };
}

const repos = async (ctx: AdminContext) => createVolunteerRepos(await ctx.database(), ctx.content.towns, ctx.config.dataKey, Date.now);

/**
 * `volunteers export --format csv|json`: the roster for staff, with phone numbers decrypted (DATA_KEY
 * needed; without it, or with another key, the phone cells are empty and stderr says how many).
 */
export const volunteersAdmin: AdminGroup = {
  export: exportCommand('volunteers export --format csv|json', async (format, ctx) => {
    const rows = await volunteersForExport(await repos(ctx));
    const unreadable = rows.filter((r) => r.v.phone === undefined).length;
    const text = exportTable(format, rows, volunteerColumns(ctx.content));
    return { text, summary: `${rows.length} volunteers exported${unreadable ? `; ${unreadable} phone numbers could not be decrypted (is DATA_KEY the one used at sign-up?)` : ''}` };
  }),
};

/** `assignments export --format csv|json`: one row per assignment and volunteer; no phone numbers. */
export const assignmentsAdmin: AdminGroup = {
  export: exportCommand('assignments export --format csv|json', async (format, ctx) => {
    const rows = await membershipsForExport(await repos(ctx));
    const text = exportTable(format, rows, membershipColumns(ctx.content));
    return { text, summary: `${new Set(rows.map((r) => r.a.id)).size} assignments, ${rows.filter((r) => r.m).length} volunteer records exported` };
  }),
};
