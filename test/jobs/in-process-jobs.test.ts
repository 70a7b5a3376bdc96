import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { createInProcessJobs } from '../../jobs/in-process-jobs.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import type { JobQueue, Processor, WorkerDeps } from '../../jobs/types.ts';
import { CONTENT_DIR, realContent } from '../support/content.ts';

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDb(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-jobs-'))): Promise<{ database: Database; dir: string }> {
  const database = await openDatabase(path.join(dir, 'db.sqlite'));
  cleanups.push(() => database.close());
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { database, dir };
}

function startWorker(database: Database, queue: JobQueue, table: Record<string, Processor>): Worker {
  const deps: WorkerDeps = {
    config: parseConfig({ CONTENT_DIR }), content: realContent(), database, logger, jobs: queue, now: Date.now,
    telegram: undefined as never, // these processors never send
  };
  const worker = createWorker(deps, { queue, processors: table });
  cleanups.push(() => worker.close());
  return worker;
}

/** A processor that records its runs and resolves `waitRuns(n)` when the nth run begins. */
function recorder(behaviour: (run: number, data: unknown) => Promise<unknown> | unknown = () => 'ok') {
  const runs: unknown[] = [];
  const waiters: [number, () => void][] = [];
  const processor: Processor = async (data) => {
    runs.push(data);
    for (const [n, resolve] of waiters) if (runs.length >= n) resolve();
    return behaviour(runs.length, data);
  };
  const waitRuns = (n: number): Promise<void> => (runs.length >= n ? Promise.resolve() : new Promise((r) => waiters.push([n, r])));
  return { processor, runs, waitRuns };
}

const jobRow = (database: Database, id: string) => database.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();

describe('in-process jobs (embedded default)', () => {
  it('runs a job with its data, and a second enqueue with the same jobId is a no-op', async () => {
    const { database } = await tempDb();
    const queue = createInProcessJobs(database, { logger });
    cleanups.push(() => queue.close());
    const r = recorder();
    await queue.enqueue('greet', { who: 'a' }, { jobId: 'greet:1' });
    await queue.enqueue('greet', { who: 'b' }, { jobId: 'greet:1' });
    await startWorker(database, queue, { greet: r.processor }).start();
    await r.waitRuns(1);
    await queue.enqueue('greet', { who: 'c' }, { jobId: 'greet:1' }); // after completion: still deduped
    await queue.enqueue('greet', { who: 'd' }, { jobId: 'greet:2' });
    await r.waitRuns(2);
    expect(r.runs).toEqual([{ who: 'a' }, { who: 'd' }]);
  });

  it('keeps pending jobs across a restart (nothing lost when the process stops before running them)', async () => {
    const { database, dir } = await tempDb();
    const first = createInProcessJobs(database, { logger });
    await first.enqueue('greet', { n: 1 }, { jobId: 'greet:restart' });
    await first.close();
    await database.close();

    const reopened = await openDatabase(path.join(dir, 'db.sqlite'));
    cleanups.push(() => reopened.close());
    const queue = createInProcessJobs(reopened, { logger });
    cleanups.push(() => queue.close());
    const r = recorder();
    await startWorker(reopened, queue, { greet: r.processor }).start();
    await r.waitRuns(1);
    expect(r.runs).toEqual([{ n: 1 }]);
  });

  it('runs urgent (priority 1) jobs before ordinary ones that were waiting', async () => {
    const { database } = await tempDb();
    const queue = createInProcessJobs(database, { logger });
    cleanups.push(() => queue.close());
    const r = recorder();
    for (let i = 0; i < 3; i++) await queue.enqueue('work', { i });
    await queue.enqueue('work', { urgent: true }, { priority: 1 });
    const worker = createWorker({ config: parseConfig({ CONTENT_DIR }), content: realContent(), database, logger, jobs: queue, now: Date.now, telegram: undefined as never }, { queue, processors: { work: r.processor }, concurrency: 1 });
    cleanups.push(() => worker.close());
    await worker.start();
    await r.waitRuns(4);
    expect(r.runs[0]).toEqual({ urgent: true });
  });

  it('retries a failing job with exponential backoff, and delays a delayed job (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const { database } = await tempDb();
    const queue = createInProcessJobs(database, { logger, backoffMs: 1000 });
    cleanups.push(() => queue.close());
    const flaky = recorder((run) => {
      if (run < 3) throw new Error(`boom ${run}`);
      return 'ok';
    });
    const later = recorder();
    const t0 = Date.now();
    await queue.enqueue('flaky', {}, { jobId: 'flaky:1', attempts: 3 });
    await queue.enqueue('later', {}, { jobId: 'later:1', delayMs: 60_000 });
    await startWorker(database, queue, { flaky: flaky.processor, later: later.processor }).start();
    await vi.advanceTimersByTimeAsync(10);
    expect(flaky.runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(900);
    expect(flaky.runs).toHaveLength(1); // first retry after 1 s
    await vi.advanceTimersByTimeAsync(200);
    expect(flaky.runs).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1700);
    expect(flaky.runs).toHaveLength(2); // second retry after 2 s more
    await vi.advanceTimersByTimeAsync(400);
    expect(flaky.runs).toHaveLength(3);
    expect((await jobRow(database, 'flaky:1'))?.status).toBe('completed');

    expect(later.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(60_000 - (Date.now() - t0) + 1100);
    expect(later.runs).toHaveLength(1);
  });

  it('a job that fails every attempt ends failed with its error kept', async () => {
    const { database } = await tempDb();
    const queue = createInProcessJobs(database, { logger, backoffMs: 1 });
    cleanups.push(() => queue.close());
    const r = recorder(() => {
      throw new Error('always');
    });
    await queue.enqueue('bad', {}, { jobId: 'bad:1', attempts: 2 });
    await startWorker(database, queue, { bad: r.processor }).start();
    await r.waitRuns(2);
    await vi.waitFor(async () => expect((await jobRow(database, 'bad:1'))?.status).toBe('failed'));
    expect((await jobRow(database, 'bad:1'))?.last_error).toBe('always');
  });

  it('shutdown puts a running job back without using an attempt; the next start runs it', async () => {
    const { database } = await tempDb();
    const queue = createInProcessJobs(database, { logger });
    cleanups.push(() => queue.close());
    const r = recorder((_run, _data) => undefined);
    let started!: () => void;
    const running = new Promise<void>((res) => (started = res));
    const slow: Processor = async (data, deps) => {
      started();
      await new Promise((_res, rej) => deps.signal?.addEventListener('abort', () => rej(Object.assign(new Error('stopped'), { name: 'AbortError' }))));
      return r.processor(data, deps);
    };
    await queue.enqueue('slow', {}, { jobId: 'slow:1', attempts: 1 });
    const worker = startWorker(database, queue, { slow });
    await worker.start();
    await running;
    await worker.close();
    const row = await jobRow(database, 'slow:1');
    expect(row).toMatchObject({ status: 'waiting', attempts_made: 0 });

    const again = recorder();
    await startWorker(database, queue, { slow: again.processor }).start();
    await again.waitRuns(1);
  });

  it('takes over a job left running by a process that was killed', async () => {
    const { database } = await tempDb();
    const t = Date.now();
    await database.db.insertInto('jobs').values({
      id: 'orphan:1', name: 'greet', data: '{"n":7}', priority: 10, run_at: t, attempts: 3, attempts_made: 1, status: 'active',
      locked_by: `${os.hostname()}:2147483646:dead`, locked_until: t + 3_600_000, last_error: null, created_at: t, finished_at: null,
    }).execute();
    const queue = createInProcessJobs(database, { logger });
    cleanups.push(() => queue.close());
    const r = recorder();
    await startWorker(database, queue, { greet: r.processor }).start();
    await r.waitRuns(1);
    expect(r.runs).toEqual([{ n: 7 }]);
  });
});
