import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { addDays, dayNumber, isSupportedDate } from './dates.ts';
import { generateScript, type ScriptContent } from './generate-script.ts';
import { SELECTION_EPOCH } from './select-entries.ts';

/** Days selected between two yields; walking 2026→2050 the event loop waited under 45 ms (p99) per step. */
const STEP_DAYS = 14;

/**
 * Brings the memoised selection walk (select-entries.ts) up to `date` in small steps.
 *
 * A day's entries depend on every day since SELECTION_EPOCH, and the walk runs synchronously the first
 * time a date is asked for: 2050-12-31 took about 6 s in one go. In the service that froze the bot and
 * the web server together, and a keep-alive connection to the Bot API dropped meanwhile (ECONNRESET on
 * the next send). Walking ahead two weeks at a time and yielding in between costs the same CPU once, but
 * other requests keep being served. Anyone may ask for any supported date, so this matters.
 */
export function createSelectionCatchUp(content: ScriptContent): (date: string) => Promise<void> {
  let walkedTo = SELECTION_EPOCH;
  return async (date) => {
    if (!isSupportedDate(date)) return;
    while (dayNumber(date) - dayNumber(walkedTo) > STEP_DAYS) {
      // Shared by concurrent callers: each step only moves forward, and the walk gives the same
      // selections whichever caller computes a day.
      walkedTo = addDays(walkedTo, STEP_DAYS);
      generateScript({ date: walkedTo, content });
      await yieldToEventLoop();
    }
  };
}
