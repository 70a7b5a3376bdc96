import cron, { type ScheduledTask } from 'node-cron';
import type { BroadcastStore } from '../core/broadcast/broadcast-store.ts';
import { clockIn } from '../core/broadcast/clock.ts';
import { todayIn } from '../core/broadcast/dates.ts';
import type { Config } from '../core/config.ts';
import type { Logger } from '../core/logger.ts';
import { enqueueAlert, enqueueDailyBroadcast } from './broadcast/processors.ts';
import type { Jobs } from './types.ts';

/** Another feature's job enqueued every few minutes (jobId `<name>:<slot>`, so processes agree). */
export interface PeriodicJob {
  readonly name: string;
  readonly everyMinutes: number;
}

export interface ScheduleDeps {
  readonly config: Config;
  readonly jobs: Jobs;
  readonly store: BroadcastStore;
  readonly logger: Logger;
  readonly now?: () => number;
  readonly periodic?: readonly PeriodicJob[];
}

export interface Schedule {
  /** Starts the cron entries, then catches up and recovers what downtime left undone. */
  start(): Promise<void>;
  stop(): void;
  /** What cron does at BROADCAST_TIME: enqueue today's broadcast (nothing else). */
  fire(): Promise<void>;
  /** At start: enqueue today's broadcast if its time has passed, the cut-off has not, and it has not run. */
  catchUp(): Promise<boolean>;
  /** Re-enqueues today's broadcasts that began but did not finish (a crash, Redis lost its queue). */
  recover(): Promise<number>;
}

/**
 * The daily schedule. Cron only enqueues `broadcast` with the deterministic jobId `broadcast:<date>`,
 * so two processes firing at the same minute, or a restart inside it, make one job and one broadcast;
 * the processor's delivery records make even a second run send nothing twice.
 */
export function createSchedule(deps: ScheduleDeps): Schedule {
  const { config, jobs, store, logger } = deps;
  const now = (): Date => new Date((deps.now ?? Date.now)());
  const tz = config.broadcast.timezone;
  const log = logger.child({ component: 'schedule' });
  const tasks: ScheduledTask[] = [];
  const guard = (what: string, fn: () => Promise<unknown>) => (): void => {
    fn().catch((err: unknown) => log.error({ err: (err as Error)?.message ?? String(err) }, `${what} failed`));
  };

  const schedule: Schedule = {
    async fire() {
      const date = todayIn(tz, now());
      await enqueueDailyBroadcast(jobs, date);
      log.info({ date }, 'daily broadcast enqueued');
    },
    async catchUp() {
      const t = now();
      const date = todayIn(tz, t);
      const clock = clockIn(tz, t);
      if (clock < config.broadcast.time || clock >= config.broadcast.cutoff) return false;
      const daily = await store.daily(date);
      if (daily?.completedAt) return false;
      await enqueueDailyBroadcast(jobs, date);
      log.info({ date, clock }, 'catching up on the daily broadcast missed while down');
      return true;
    },
    async recover() {
      const date = todayIn(tz, now());
      const open = await store.unfinished(date);
      for (const b of open) await (b.kind === 'alert' ? enqueueAlert(jobs, b.id) : enqueueDailyBroadcast(jobs, b.date));
      if (open.length > 0) log.info({ broadcasts: open.map((b) => b.id) }, 'unfinished broadcasts enqueued again');
      return open.length;
    },
    async start() {
      const [hh, mm] = config.broadcast.time.split(':').map(Number);
      tasks.push(cron.schedule(`${mm} ${hh} * * *`, guard('daily broadcast enqueue', () => schedule.fire()), { timezone: tz }));
      tasks.push(cron.schedule('* * * * *', guard('minute sweep', async () => {
        await schedule.recover();
        const minute = Math.floor(now().getTime() / 60_000);
        for (const p of deps.periodic ?? []) {
          if (minute % p.everyMinutes === 0) await jobs.enqueue(p.name, {}, { jobId: `${p.name}:${Math.floor(minute / p.everyMinutes)}` });
        }
      }), { timezone: tz }));
      await schedule.catchUp();
      await schedule.recover();
      log.info({ time: config.broadcast.time, cutoff: config.broadcast.cutoff, timezone: tz }, 'schedule started');
    },
    stop() {
      for (const t of tasks.splice(0)) t.stop();
    },
  };
  return schedule;
}
