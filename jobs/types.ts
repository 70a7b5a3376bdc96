import type { Telegram } from 'telegraf';
import type { Config } from '../core/config.ts';
import type { Content } from '../core/content/load-content.ts';
import type { Logger } from '../core/logger.ts';
import type { Database } from '../core/storage/database.ts';
import type { Llm } from '../core/llm/llm.ts';
import type { SendLimiter } from './send-limiter.ts';

/**
 * The jobs layer contract shared by every feature. Cron and bot handlers only enqueue; processors do
 * the work, are idempotent (a job may run twice after a crash) and are pure functions of (data, deps).
 * Two implementations: bull on Redis when REDIS_URL is set, an in-process runner otherwise; both run
 * the same processors.
 */
export interface EnqueueOptions {
  /** Deterministic id (`name:slot`): a second enqueue with the same id is a no-op. */
  readonly jobId?: string;
  readonly delayMs?: number;
  readonly attempts?: number;
  /** Lower runs first (urgent alerts use 1). */
  readonly priority?: number;
}

export interface Jobs {
  enqueue(name: string, data: unknown, options?: EnqueueOptions): Promise<void>;
  close(): Promise<void>;
}

/** What a processor may use. Built once in the entry point. */
export interface WorkerDeps {
  readonly config: Config;
  readonly content: Content;
  readonly database: Database;
  /** Telegram client for sending (the bot's `telegram`), so processors never build their own. */
  readonly telegram: Telegram;
  readonly logger: Logger;
  /** For follow-up jobs (next candidate, reminders). */
  readonly jobs: Jobs;
  readonly now: () => number;
  /**
   * Paces bulk sends below Telegram's limits, shared by every processor of the process (or, on Redis,
   * of every worker). createWorker fills it in; processors that send one message may ignore it.
   */
  readonly sendLimiter?: SendLimiter;
  /** The optional language model (offline when not configured); used only for staff suggestions. */
  readonly llm?: Llm;
  /** Aborted when the worker shuts down: long processors stop at a safe point; the job runs again later. */
  readonly signal?: AbortSignal;
  /** Which attempt of the job this run is (1 first); set by the worker. */
  readonly attempt?: number;
}

export type Processor<D = unknown> = (data: D, deps: WorkerDeps) => Promise<unknown>;

/** name → processor; each feature adds its processors to jobs/registry.ts. */
export type ProcessorRegistry = Readonly<Record<string, Processor<never>>>;

/** A job as a queue hands it to the worker. `attempt` starts at 1. */
export interface QueuedJob {
  readonly id: string;
  readonly name: string;
  readonly data: unknown;
  readonly attempt: number;
}

/** A running consumer of a queue; close() stops taking jobs and waits for the running ones. */
export interface Consumer {
  close(): Promise<void>;
}

/** A Jobs implementation a worker can also consume from (in-process SQLite or bull on Redis). */
export interface JobQueue extends Jobs {
  /** 'in-process' or 'bull', for logs and status. */
  readonly mode: 'in-process' | 'bull';
  consume(run: (job: QueuedJob) => Promise<unknown>, options: { concurrency: number }): Promise<Consumer>;
}
