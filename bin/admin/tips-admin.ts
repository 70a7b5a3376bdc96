import { exportTable } from '../../core/export/table-export.ts';
import { listTipsForExport, tipExportColumns } from '../../core/tips/tip-export.ts';
import { parseExportArgs, type AdminGroup } from './admin-types.ts';

/** `tips export --format csv|json`: every tip, without any reporter identity (see tipExportColumns). */
export const tipsAdmin: AdminGroup = {
  export: {
    usage: 'tips export --format csv|json',
    async run(args, ctx) {
      const parsed = parseExportArgs(args);
      if ('error' in parsed) {
        console.error(parsed.error);
        return 2;
      }
      const tips = await listTipsForExport(await ctx.database());
      ctx.out(exportTable(parsed.format, tips, tipExportColumns(ctx.content)));
      console.error(`${tips.length} tips exported`);
      return 0;
    },
  },
};
