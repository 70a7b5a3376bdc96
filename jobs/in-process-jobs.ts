import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../core/logger.ts';
import type { Database } from '../core/storage/database.ts';
import { startInProcessConsumer } from './in-process-consumer.ts';
import type { Consumer, JobQueue } from './types.ts';

export interface InProcessJobsOptions {
  readonly logger: Logger;
  readonly now?: () => number;
  /** How often an idle consumer looks for jobs another process put in the same file. */
  readonly pollMs?: number;
  /** A running job's lease; renewed every third of it, taken over by another process when it runs out. */
  readonly leaseMs?: number;
  /** First retry delay; doubles with each attempt (capped at 5 minutes). */
  readonly backoffMs?: number;
}

/** Jobs without a priority; lower runs first, urgent alerts use 1. */
export const DEFAULT_PRIORITY = 10;
export const DEFAULT_ATTEMPTS = 3;

/**
 * The embedded default (no REDIS_URL): jobs live in the SQLite `jobs` table, so a pending or delayed
 * job survives a restart, and the table's primary key on the job id makes a deterministic jobId
 * (`broadcast:2026-12-01`) a dedupe that holds across processes and restarts (completed jobs are kept
 * seven days, like bull's removeOnComplete age). The same processors run here as on bull.
 */
export function createInProcessJobs(database: Database, options: InProcessJobsOptions): JobQueue {
  const { db } = database;
  const now = options.now ?? Date.now;
  const wake = new EventEmitter();
  const consumers = new Set<Consumer>();
  let closed = false;
  return {
    mode: 'in-process',
    async enqueue(name, data, opts = {}) {
      if (closed) throw new Error(`jobs are closed; cannot enqueue ${name}`);
      const t = now();
      await db
        .insertInto('jobs')
        .values({
          id: opts.jobId ?? `${name}:${randomUUID()}`,
          name,
          data: JSON.stringify(data ?? null),
          priority: opts.priority ?? DEFAULT_PRIORITY,
          run_at: t + Math.max(0, opts.delayMs ?? 0),
          attempts: Math.max(1, opts.attempts ?? DEFAULT_ATTEMPTS),
          attempts_made: 0,
          status: 'waiting',
          locked_by: null,
          locked_until: null,
          last_error: null,
          created_at: t,
          finished_at: null,
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      wake.emit('job');
    },
    async consume(run, { concurrency }) {
      const consumer = startInProcessConsumer(db, run, {
        concurrency, now, wake, logger: options.logger,
        pollMs: options.pollMs ?? 1000, leaseMs: options.leaseMs ?? 30_000, backoffMs: options.backoffMs ?? 2000,
      });
      consumers.add(consumer);
      return {
        async close() {
          consumers.delete(consumer);
          await consumer.close();
        },
      };
    },
    async close() {
      closed = true;
      await Promise.all([...consumers].map((c) => c.close()));
      consumers.clear();
    },
  };
}
