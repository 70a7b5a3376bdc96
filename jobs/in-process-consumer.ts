import type { EventEmitter } from 'node:events';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Logger } from '../core/logger.ts';
import type { Db } from '../core/storage/database.ts';
import type { Consumer, QueuedJob } from './types.ts';

export interface ConsumerOptions {
  readonly concurrency: number;
  readonly now: () => number;
  readonly pollMs: number;
  readonly leaseMs: number;
  readonly backoffMs: number;
  readonly logger: Logger;
  /** Emits 'job' when this process enqueued something, so it starts without waiting for the poll. */
  readonly wake: EventEmitter;
}

const KEEP_COMPLETED_MS = 7 * 86_400_000;
const KEEP_FAILED_MS = 30 * 86_400_000;
const MAX_BACKOFF_MS = 5 * 60_000;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes jobs from the SQLite `jobs` table. Claiming is one UPDATE … WHERE id = (next waiting job),
 * atomic even with another process on the same file. A running job holds a lease it renews; a job
 * whose lease ran out, or whose owner process on this machine is gone (kill -9), is taken again.
 */
export function startInProcessConsumer(db: Db, run: (job: QueuedJob) => Promise<unknown>, o: ConsumerOptions): Consumer {
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const running = new Map<string, Promise<void>>();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let again = false;
  let lastPrune = 0;

  const release = (id: string, values: Record<string, unknown>): Promise<unknown> =>
    db.updateTable('jobs').set({ locked_by: null, locked_until: null, ...values }).where('id', '=', id).where('locked_by', '=', owner).execute();

  const reclaimFromDeadOwners = async (): Promise<void> => {
    const active = await db.selectFrom('jobs').select(['id', 'locked_by']).where('status', '=', 'active').execute();
    for (const j of active) {
      const [host, pid] = (j.locked_by ?? '').split(':');
      if (host === os.hostname() && Number(pid) !== process.pid && !pidAlive(Number(pid))) {
        await db.updateTable('jobs').set({ locked_until: 0 }).where('id', '=', j.id).where('locked_by', '=', j.locked_by).execute();
        o.logger.warn({ job: j.id }, 'job left by a stopped process will run again');
      }
    }
  };

  const claim = async () => {
    const t = o.now();
    return db
      .updateTable('jobs')
      .set((eb) => ({ status: 'active', locked_by: owner, locked_until: t + o.leaseMs, attempts_made: eb('attempts_made', '+', 1) }))
      .where('id', '=', (eb) =>
        eb
          .selectFrom('jobs')
          .select('id')
          .where((w) => w.or([w.and([w('status', '=', 'waiting'), w('run_at', '<=', t)]), w.and([w('status', '=', 'active'), w('locked_until', '<', t)])]))
          .orderBy('priority')
          .orderBy('run_at')
          .limit(1),
      )
      .returningAll()
      .executeTakeFirst();
  };

  const execute = async (job: NonNullable<Awaited<ReturnType<typeof claim>>>): Promise<void> => {
    const log = o.logger.child({ job: job.id, name: job.name, attempt: job.attempts_made });
    const renew = setInterval(() => {
      void db.updateTable('jobs').set({ locked_until: o.now() + o.leaseMs }).where('id', '=', job.id).where('locked_by', '=', owner).execute()
        .catch((err: unknown) => log.warn({ err }, 'could not renew the job lease'));
    }, o.leaseMs / 3);
    try {
      if (job.attempts_made > job.attempts) throw new Error('stopped too many times while running');
      await run({ id: job.id, name: job.name, data: JSON.parse(job.data) as unknown, attempt: job.attempts_made });
      await release(job.id, { status: 'completed', finished_at: o.now(), last_error: null });
    } catch (err) {
      // Only name and message: telegraf errors carry the request (chat id, text), which logs must not.
      const message = (err as Error)?.message ?? String(err);
      const safe = { name: (err as Error)?.name, message };
      if (stopping || (err as Error)?.name === 'AbortError') {
        // Shutdown, not a failure: back to the queue without using up an attempt.
        await release(job.id, { status: 'waiting', run_at: o.now(), attempts_made: job.attempts_made - 1 });
        log.info('job interrupted by shutdown; it runs again at the next start');
      } else if (job.attempts_made < job.attempts) {
        const delay = Math.min(MAX_BACKOFF_MS, o.backoffMs * 2 ** (job.attempts_made - 1));
        await release(job.id, { status: 'waiting', run_at: o.now() + delay, last_error: message.slice(0, 500) });
        log.warn({ err: safe, retryInMs: delay }, 'job failed; will retry');
      } else {
        await release(job.id, { status: 'failed', finished_at: o.now(), last_error: message.slice(0, 500) });
        log.error({ err: safe }, 'job failed for good');
      }
    } finally {
      clearInterval(renew);
    }
  };

  const prune = async (t: number): Promise<void> => {
    if (t - lastPrune < 3_600_000) return;
    lastPrune = t;
    await db.deleteFrom('jobs').where('status', '=', 'completed').where('finished_at', '<', t - KEEP_COMPLETED_MS).execute();
    await db.deleteFrom('jobs').where('status', '=', 'failed').where('finished_at', '<', t - KEEP_FAILED_MS).execute();
  };

  /** One timer at a time: the next delayed job, or the poll for jobs other processes enqueue. */
  const schedule = async (): Promise<void> => {
    if (stopping) return;
    const next = await db.selectFrom('jobs').select((eb) => eb.fn.min('run_at').as('at')).where('status', '=', 'waiting').executeTakeFirst();
    const at = next?.at === null || next?.at === undefined ? Infinity : Number(next.at);
    const delay = running.size >= o.concurrency ? o.pollMs : Math.max(0, Math.min(o.pollMs, at - o.now()));
    clearTimeout(timer);
    if (!stopping) timer = setTimeout(() => void tick(), delay);
  };

  const tick = async (): Promise<void> => {
    if (ticking) {
      again = true;
      return;
    }
    ticking = true;
    try {
      do {
        again = false;
        while (!stopping && running.size < o.concurrency) {
          const job = await claim();
          if (!job) break;
          const p = execute(job).finally(() => {
            running.delete(job.id);
            if (!stopping) void tick();
          });
          running.set(job.id, p);
        }
      } while (again && !stopping);
      await prune(o.now());
    } catch (err) {
      o.logger.error({ err }, 'job queue poll failed');
    } finally {
      ticking = false;
    }
    await schedule().catch((err: unknown) => o.logger.error({ err }, 'job queue poll failed'));
  };

  const onWake = (): void => void tick();
  o.wake.on('job', onWake);
  void reclaimFromDeadOwners()
    .catch((err: unknown) => o.logger.warn({ err }, 'could not check for jobs left by stopped processes'))
    .then(() => tick());

  return {
    async close() {
      stopping = true;
      o.wake.off('job', onWake);
      clearTimeout(timer);
      await Promise.allSettled(running.values());
    },
  };
}
