import type { Database } from '../storage/database.ts';
import { createBroadcastStore } from './broadcast-store.ts';
import { pickStoredScript, urgentScript } from './daily-payload.ts';
import { generateScript, type BroadcastScript, type ScriptContent } from './generate-script.ts';
import { createSelectionCatchUp } from './selection-catch-up.ts';
import { storedRewrite } from '../llm/rewrite-script.ts';
import { createSqlRewriteStore } from '../storage/llm-stores.ts';

/** The script operators read: what generateScript returns. */
export type Script = BroadcastScript;

export interface ScriptSourceDeps {
  readonly content: ScriptContent;
  /** With the database: the script delivered for a date, then an urgent one set by staff, come first. */
  readonly database?: Database;
}

/**
 * The one place the bot and the web read a day's script from.
 *
 * Precedence: the script delivered for that day (stored at its first delivery, so it never changes
 * afterwards), then an urgent script staff set for the date, then a fresh generation; readers never call
 * generateScript directly, so what an operator fetches is what was (or will be) broadcast.
 * Rejects with RangeError for a malformed or unsupported date and UserFacingError for an unknown town.
 */
export interface ScriptSource {
  forDate(date: string, town?: string): Promise<Script>;
}

export function createScriptSource(deps: ScriptSourceDeps): ScriptSource {
  // A far date would otherwise block the event loop for seconds on its first request.
  const catchUp = createSelectionCatchUp(deps.content);
  // Built once: every page view and /today goes through here.
  const store = deps.database ? createBroadcastStore(deps.database) : undefined;
  const rewrites = deps.database ? createSqlRewriteStore(deps.database) : undefined;
  return {
    async forDate(date, town) {
      await catchUp(date);
      // Generating first also validates the date and town, with the same errors in every case.
      const generated = generateScript({ date, town, content: deps.content });
      if (!store || !rewrites) return generated;
      const delivered = await store.daily(date);
      if (delivered) {
        const townId = town === undefined ? undefined : deps.content.towns?.find(town)?.id;
        return pickStoredScript(delivered.payload, townId, () => generated);
      }
      const urgent = await store.urgent(date);
      if (urgent) return urgentScript(date, urgent.text);
      // Before delivery: a reworded district script already accepted for the date (read only, so a
      // page view never calls the model).
      if (town !== undefined) return generated;
      const { rewritten: _, ...script } = await storedRewrite(generated, rewrites);
      return script;
    },
  };
}
