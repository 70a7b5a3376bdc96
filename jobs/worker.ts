import { processors as registered } from './registry.ts';
import { createMemoryLimiter } from './send-limiter.ts';
import type { Consumer, JobQueue, Processor, ProcessorRegistry, WorkerDeps } from './types.ts';

export interface WorkerOptions {
  /** Where jobs come from: createInProcessJobs or createBullJobs. */
  readonly queue: JobQueue;
  /** Defaults to every registered processor (jobs/registry.ts). */
  readonly processors?: ProcessorRegistry;
  /** Jobs run at once; more than one so an urgent alert never waits behind a long daily fan-out. */
  readonly concurrency?: number;
}

export interface Worker {
  start(): Promise<void>;
  /** Stops taking jobs, asks running ones to stop at a safe point, and waits for them. */
  close(): Promise<void>;
}

/** Thrown for a job whose name has no processor: a deploy mismatch, not worth retrying quietly. */
export class UnknownJobError extends Error {
  constructor(name: string) {
    super(`no processor for job "${name}"`);
    this.name = 'UnknownJobError';
  }
}

/**
 * Runs processors for the jobs of one queue, the same way in-process and on bull. Each processor gets
 * the deps plus the process-wide send limiter and the worker's abort signal.
 */
export function createWorker(deps: WorkerDeps, options: WorkerOptions): Worker {
  const table = options.processors ?? registered;
  const controller = new AbortController();
  const full: WorkerDeps = {
    ...deps,
    sendLimiter: deps.sendLimiter ?? createMemoryLimiter({ perSecond: deps.config.broadcast.ratePerSecond }),
    signal: controller.signal,
  };
  let consumer: Consumer | undefined;
  return {
    async start() {
      if (consumer) return;
      consumer = await options.queue.consume(async (job) => {
        const processor = table[job.name] as Processor | undefined;
        if (!processor) throw new UnknownJobError(job.name);
        const log = deps.logger.child({ job: job.id, attempt: job.attempt });
        const started = deps.now();
        log.info({ name: job.name }, 'job started');
        const result = await processor(job.data, { ...full, attempt: job.attempt });
        log.info({ name: job.name, ms: deps.now() - started }, 'job done');
        return result;
      }, { concurrency: options.concurrency ?? 4 });
      deps.logger.info({ mode: options.queue.mode, processors: Object.keys(table) }, 'worker started');
    },
    async close() {
      controller.abort();
      await consumer?.close();
      consumer = undefined;
    },
  };
}
