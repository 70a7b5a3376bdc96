import { EventEmitter } from 'node:events';
import { todayIn } from '../../core/broadcast/dates.ts';
import type { BroadcastRepos } from '../../core/broadcast/broadcast-repos.ts';
import type { SubscriberRole } from '../../core/broadcast/subscribers.ts';
import { processors } from '../../jobs/registry.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import type { Processor, ProcessorRegistry, WorkerDeps } from '../../jobs/types.ts';
import { startBotHarness, type BotHarness } from './bot-harness.ts';

export const STAFF_ID = 9_000_001;
const READY_CHAT = 9_000_999;
/** 2026-12-01 07:00 in Asia/Shanghai: after the 06:30 broadcast time, before the 12:00 cut-off. */
export const MORNING = Date.parse('2026-12-01T07:00:00+08:00');

/** A clock that starts at `start` and runs at real speed (timers and the fake Bot API stay real). */
export function clockFrom(start: number): () => number {
  const offset = start - Date.now();
  return () => Date.now() + offset;
}

/** Fires 'done' / 'failed' with { name, data, result | error } for every job a worker finishes. */
export function observedProcessors(events: EventEmitter, table: ProcessorRegistry = processors): ProcessorRegistry {
  return Object.fromEntries(Object.entries(table).map(([name, p]) => [name, (async (data: unknown, deps: WorkerDeps) => {
    try {
      const result = await (p as Processor)(data, deps);
      events.emit('done', { name, data, result });
      return result;
    } catch (error) {
      events.emit('failed', { name, data, error });
      throw error;
    }
  }) as Processor]));
}

/** Resolves with the result of the next job named `name` that finishes. */
export function nextDone(events: EventEmitter, name: string): Promise<unknown> {
  return new Promise((resolve) => {
    const on = (e: { name: string; result: unknown }): void => {
      if (e.name !== name) return;
      events.off('done', on);
      resolve(e.result);
    };
    events.on('done', on);
  });
}

export interface BroadcastHarness extends BotHarness {
  readonly worker: Worker;
  readonly workerDeps: WorkerDeps;
  readonly repos: BroadcastRepos;
  readonly events: EventEmitter;
  readonly today: string;
  readonly clock: () => number;
}

/**
 * The real bot polling the fake Bot API plus a worker on the in-process queue, staff id STAFF_ID, and
 * a clock set to a December morning in Shanghai so "today's broadcast" is a fixed date.
 */
export async function startBroadcastHarness(options: { env?: Record<string, string>; start?: number } = {}): Promise<BroadcastHarness> {
  const clock = clockFrom(options.start ?? MORNING);
  const h = await startBotHarness({ STAFF_IDS: String(STAFF_ID), ...options.env }, { now: clock });
  const events = new EventEmitter();
  const workerDeps: WorkerDeps = {
    config: h.deps.config, content: h.deps.content, database: h.app.database, telegram: h.bot.telegram,
    logger: h.deps.logger, jobs: h.app.queue, now: clock, sendLimiter: h.app.sendLimiter, llm: h.deps.llm,
  };
  const worker = createWorker(workerDeps, { queue: h.app.queue, processors: observedProcessors(events) });
  await worker.start();
  // The bot answers before any test runs (and telegraf's stop() throws for a bot not yet polling).
  h.api.sendText(READY_CHAT, '/help');
  await h.api.waitFor((m) => m.chat_id === READY_CHAT);
  h.api.reset();
  return {
    ...h, worker, workerDeps, events, clock, repos: h.deps.broadcast,
    today: todayIn(h.deps.config.broadcast.timezone, new Date(clock())),
    async stop() {
      await worker.close();
      await h.stop();
    },
  };
}

/** Subscribes chats firstId, firstId+1, … directly in the database (for fan-out tests). */
export async function addSubscribers(repos: BroadcastRepos, count: number, opts: { firstId: number; role: SubscriberRole; townId?: string }): Promise<number[]> {
  const ids = Array.from({ length: count }, (_, i) => opts.firstId + i);
  for (const chatId of ids) {
    await repos.subscribers.subscribe({ chatId, chatType: 'private', role: opts.role, townId: opts.townId ?? 'longxing', village: opts.role === 'operator' ? '双塘村' : null });
  }
  return ids;
}
