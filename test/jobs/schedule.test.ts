import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createBroadcastStore } from '../../core/broadcast/broadcast-store.ts';
import { buildDailyPayload } from '../../core/broadcast/daily-payload.ts';
import { parseConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { createInProcessJobs } from '../../jobs/in-process-jobs.ts';
import { createSchedule } from '../../jobs/schedule.ts';
import type { EnqueueOptions, Jobs } from '../../jobs/types.ts';
import { addSubscribers, nextDone, startBroadcastHarness, type BroadcastHarness } from '../support/broadcast-harness.ts';
import { startBullHarness, type BullHarness } from '../support/bull-harness.ts';
import { CONTENT_DIR, realContent } from '../support/content.ts';

const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
const config = parseConfig({ CONTENT_DIR });
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Records what the schedule enqueues (the schedule's whole job is to enqueue). */
function recordingJobs(): Jobs & { calls: { name: string; data: unknown; options?: EnqueueOptions }[] } {
  const calls: { name: string; data: unknown; options?: EnqueueOptions }[] = [];
  return { calls, enqueue: async (name, data, options) => void calls.push({ name, data, options }), close: async () => undefined };
}

async function tempDb(): Promise<Database> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-sched-'));
  const database = await openDatabase(path.join(dir, 'db.sqlite'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => database.close());
  return database;
}

const shanghai = (isoLocal: string): number => Date.parse(`${isoLocal}+08:00`);

describe('the daily schedule', () => {
  it('cron fires at 06:30 Asia/Shanghai and only enqueues broadcast:<date> with that jobId (fake timers)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(shanghai('2026-12-01T06:29:50'));
    const database = await tempDb();
    const jobs = recordingJobs();
    const schedule = createSchedule({ config, jobs, store: createBroadcastStore(database), logger });
    cleanups.push(() => schedule.stop());
    await schedule.start();
    await vi.advanceTimersByTimeAsync(8_000); // 06:29:58
    expect(jobs.calls).toEqual([]);
    await vi.advanceTimersByTimeAsync(3_000); // 06:30:01
    expect(jobs.calls).toEqual([{ name: 'broadcast', data: { date: '2026-12-01' }, options: expect.objectContaining({ jobId: 'broadcast:2026-12-01' }) }]);
    await vi.advanceTimersByTimeAsync(120_000);
    vi.setSystemTime(shanghai('2026-12-02T06:29:58')); // the next morning: the next day's broadcast, once
    await vi.advanceTimersByTimeAsync(5_000);
    expect(jobs.calls.map((c) => c.options?.jobId)).toEqual(['broadcast:2026-12-01', 'broadcast:2026-12-02']);
  });

  it('catches up at start between BROADCAST_TIME and BROADCAST_CUTOFF only if the day has not been broadcast', async () => {
    const database = await tempDb();
    const store = createBroadcastStore(database);
    const at = async (local: string): Promise<boolean> => {
      const jobs = recordingJobs();
      return createSchedule({ config, jobs, store, logger, now: () => shanghai(local) }).catchUp();
    };
    expect(await at('2026-12-01T06:00')).toBe(false);
    expect(await at('2026-12-01T06:30')).toBe(true);
    expect(await at('2026-12-01T11:59')).toBe(true);
    expect(await at('2026-12-01T12:00')).toBe(false);
    // Begun but not finished (a crash mid fan-out): still caught up, the processor resumes it.
    const stored = await store.ensureDaily('2026-12-01', () => buildDailyPayload({ date: '2026-12-01', content: realContent(), townIds: [] }));
    expect(await at('2026-12-01T08:00')).toBe(true);
    await store.complete(stored.id);
    expect(await at('2026-12-01T08:00')).toBe(false);
  });
});

describe('two schedulers firing at once send one broadcast', () => {
  let h: BroadcastHarness | undefined;
  let b: BullHarness | undefined;
  afterEach(async () => {
    await h?.stop();
    await b?.stop();
    h = b = undefined;
  });

  it('in-process: two processes on the same SQLite file, both firing and catching up at the same minute', async () => {
    h = await startBroadcastHarness();
    const ids = await addSubscribers(h.repos, 6, { firstId: 910_001, role: 'resident' });
    // A second process: its own connection to the same file, its own queue and schedule.
    const other = await openDatabase(h.deps.config.databaseFile);
    cleanups.push(() => other.close());
    const otherJobs = createInProcessJobs(other, { logger });
    cleanups.push(() => otherJobs.close());
    const mk = (jobs: Jobs, database: Database) => createSchedule({ config: h!.deps.config, jobs, store: createBroadcastStore(database), logger, now: h!.clock });
    const done = nextDone(h.events, 'broadcast');
    const [a, c] = [mk(h.app.queue, h.app.database), mk(otherJobs, other)];
    await Promise.all([a.fire(), c.fire(), a.catchUp(), c.catchUp()]);
    await done;
    const rows = await h.app.database.db.selectFrom('jobs').select('id').where('name', '=', 'broadcast').execute();
    expect(rows.map((r) => r.id)).toEqual([`broadcast:${h.today}`]);
    for (const id of ids) expect(h.api.messagesTo(id)).toHaveLength(1);
  });

  it('bull: two queues on the same Redis and prefix, both firing at once', async () => {
    b = await startBullHarness();
    const ids = await addSubscribers(b.repos, 6, { firstId: 920_001, role: 'resident' });
    await b.worker();
    const [q1, q2] = [await b.queue(), await b.queue()];
    const mk = (jobs: Jobs) => createSchedule({ config: b!.config, jobs, store: b!.repos.store, logger, now: b!.clock });
    const done = nextDone(b.events, 'broadcast');
    await Promise.all([mk(q1).fire(), mk(q2).fire(), mk(q1).catchUp(), mk(q2).catchUp()]);
    await done;
    for (const id of ids) expect(b.api.messagesTo(id)).toHaveLength(1);
    const jobKeys = await b.redis.keys(`${b.prefix}bull:jobs:broadcast:*`);
    expect(jobKeys.filter((k) => !k.endsWith(':logs') && !k.endsWith(':lock'))).toEqual([`${b.prefix}bull:jobs:broadcast:${b.today}`]);
  });
});
