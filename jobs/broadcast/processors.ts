import { createBroadcastRepos } from '../../core/broadcast/broadcast-repos.ts';
import { buildDailyPayload } from '../../core/broadcast/daily-payload.ts';
import { generateScript, type BroadcastScript } from '../../core/broadcast/generate-script.ts';
import { rewriteScript } from '../../core/llm/rewrite-script.ts';
import { createSqlRewriteStore } from '../../core/storage/llm-stores.ts';
import { isSupportedDate, todayIn } from '../../core/broadcast/dates.ts';
import type { Jobs, Processor } from '../types.ts';
import { fanOut } from './fan-out.ts';

/** Job names and ids: cron and catch-up enqueue `broadcast` with jobId `broadcast:<date>`. */
export const BROADCAST_JOB = 'broadcast';
export const ALERT_JOB = 'broadcast-alert';
export const broadcastJobId = (date: string): string => `broadcast:${date}`;
export const alertJobId = (id: number): string => `broadcast-alert:${id}`;
/** Urgent alerts run before anything else waiting in the queue. */
export const ALERT_PRIORITY = 1;
export const BROADCAST_PRIORITY = 5;
/** A fan-out survives a Telegram outage of about half an hour of backoff before giving up. */
const ATTEMPTS = 10;

export const BROADCAST_ATTEMPTS = ATTEMPTS;
/** Another round after a job used all its attempts starts this much later. */
export const NEXT_ROUND_DELAY_MS = 5 * 60_000;

/**
 * `round` 0 is the day's job; a job that used all its attempts enqueues round 1, 2… under their own
 * ids (a failed job keeps its id for good, so the minute sweep alone could never start it again).
 */
export function enqueueDailyBroadcast(jobs: Jobs, date: string, round = 0, delayMs = 0): Promise<void> {
  return jobs.enqueue(BROADCAST_JOB, round ? { date, round } : { date }, {
    jobId: round ? `${broadcastJobId(date)}:round-${round}` : broadcastJobId(date), priority: BROADCAST_PRIORITY, attempts: ATTEMPTS,
    ...(delayMs ? { delayMs } : {}),
  });
}

export function enqueueAlert(jobs: Jobs, id: number): Promise<void> {
  return jobs.enqueue(ALERT_JOB, { id }, { jobId: alertJobId(id), priority: ALERT_PRIORITY, attempts: ATTEMPTS });
}

/**
 * `broadcast` {date}: stores the day's script at its first run (the staff's urgent script if one is set
 * for the date, else the generated one, with the town variants operators need) and fans it out. Runs
 * only on its own day in TZ_BROADCAST: a job left over from an earlier day would deliver stale advice.
 */
export const broadcastProcessor: Processor<{ date?: unknown; round?: unknown }> = async (data, deps) => {
  try {
    return await dailyBroadcast(data, deps);
  } catch (err) {
    // The last attempt failed: the day's broadcast must not end failed for good. Another round is
    // queued (deliveries already sent are never sent again) and staff are told.
    const date = typeof data?.date === 'string' ? data.date : '';
    if ((deps.attempt ?? 1) >= ATTEMPTS && isSupportedDate(date) && !deps.signal?.aborted) {
      const round = (typeof data?.round === 'number' ? data.round : 0) + 1;
      await enqueueDailyBroadcast(deps.jobs, date, round, NEXT_ROUND_DELAY_MS);
      const text = deps.content.strings.t('broadcast.retry_round', {
        date, round: round + 1, minutes: NEXT_ROUND_DELAY_MS / 60_000, reason: String((err as Error)?.message ?? err).slice(0, 80),
      });
      await deps.jobs.enqueue('staff-notice', { text }).catch(() => undefined);
      deps.logger.error({ date, round, err: (err as Error)?.message }, 'daily broadcast used all its attempts; another round queued');
    }
    throw err;
  }
};

async function dailyBroadcast(data: { date?: unknown }, deps: Parameters<typeof broadcastProcessor>[1]): Promise<unknown> {
  const date = typeof data?.date === 'string' ? data.date : '';
  if (!isSupportedDate(date)) throw new Error(`broadcast job with a bad date: ${JSON.stringify(data)}`);
  const today = todayIn(deps.config.broadcast.timezone, new Date(deps.now()));
  if (date !== today) {
    deps.logger.warn({ date, today }, 'daily broadcast job is not for today; skipped');
    return { skipped: 'not today' };
  }
  const repos = createBroadcastRepos(deps.database);
  const townIds = await repos.subscribers.operatorTowns();
  const reading = await readAloudRewrite(date, deps);
  const stored = await repos.store.ensureDaily(date, (urgentText) => {
    const payload = buildDailyPayload({ date, content: deps.content, urgentText, townIds });
    // Staff-written urgent scripts go out word for word; only the generated district script may be reworded.
    return reading && !payload.urgent ? { ...payload, district: reading } : payload;
  });
  return fanOut(stored, deps, repos, false);
}

/**
 * The district script reworded for reading aloud by the optional model, when one is configured and
 * its rewrite passed the verifier (every number and key point kept, nothing new). The outcome is
 * stored per date on the first try, so a retried job asks nothing new and the text never changes.
 */
async function readAloudRewrite(date: string, deps: Parameters<typeof broadcastProcessor>[1]): Promise<BroadcastScript | undefined> {
  if (!deps.llm?.capabilities.chat) return undefined;
  const generated = generateScript({ date, content: deps.content });
  const { rewritten, ...script } = await rewriteScript(generated, deps.llm, createSqlRewriteStore(deps.database));
  return rewritten ? script : undefined;
}

/** `broadcast-alert` {id}: the alert row was stored when staff confirmed; this sends it, urgently. */
export const alertProcessor: Processor<{ id?: unknown }> = async (data, deps) => {
  const id = typeof data?.id === 'number' ? data.id : NaN;
  const repos = createBroadcastRepos(deps.database);
  const stored = Number.isInteger(id) ? await repos.store.get(id) : undefined;
  if (!stored || stored.kind !== 'alert') {
    deps.logger.error({ data }, 'alert job for an unknown alert; nothing sent');
    return { skipped: 'unknown alert' };
  }
  return fanOut(stored, deps, repos, true);
};

export const broadcastProcessors = { [BROADCAST_JOB]: broadcastProcessor, [ALERT_JOB]: alertProcessor } as const;
