import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { todayIn } from '../../core/broadcast/dates.ts';
import { parseConfig } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { BROADCAST_ATTEMPTS, BROADCAST_JOB, broadcastProcessor } from '../../jobs/broadcast/processors.ts';
import type { EnqueueOptions, WorkerDeps } from '../../jobs/types.ts';
import { CONTENT_DIR, realContent } from '../support/content.ts';

// The daily broadcast must never end failed for good: its last attempt queues another round.
let dir: string;
let database: Database | undefined;
afterEach(async () => {
  await database?.close();
  database = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function failingDeps(attempt: number) {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-rounds-'));
  database = await openDatabase(path.join(dir, 'db.sqlite'));
  // A broken delivery table: every fan-out fails, as it would against a database that keeps failing.
  await sql`drop table broadcast_deliveries`.execute(database.db);
  const enqueued: { name: string; data: unknown; options?: EnqueueOptions }[] = [];
  const config = parseConfig({ CONTENT_DIR, DATA_DIR: dir });
  const deps = {
    config, content: realContent(), database, logger: createLogger('silent'), now: Date.now, attempt,
    telegram: {} as WorkerDeps['telegram'],
    jobs: { enqueue: async (name: string, data: unknown, options?: EnqueueOptions) => void enqueued.push({ name, data, options }), close: async () => {} },
  } satisfies WorkerDeps;
  return { deps, enqueued, date: todayIn(config.broadcast.timezone, new Date()) };
}

describe('the daily broadcast after its last attempt', () => {
  it('queues another round under a fresh id and tells staff', async () => {
    const { deps, enqueued, date } = await failingDeps(BROADCAST_ATTEMPTS);
    await expect(broadcastProcessor({ date }, deps)).rejects.toThrow();
    const round = enqueued.find((e) => e.name === BROADCAST_JOB);
    expect(round?.data).toEqual({ date, round: 1 });
    expect(round?.options?.jobId).toBe(`broadcast:${date}:round-1`);
    expect(round?.options?.delayMs).toBeGreaterThan(0);
    const notice = enqueued.find((e) => e.name === 'staff-notice');
    expect((notice?.data as { text: string }).text).toContain('第 2 轮');
  });

  it('an earlier attempt only fails (the queue retries it)', async () => {
    const { deps, enqueued, date } = await failingDeps(3);
    await expect(broadcastProcessor({ date }, deps)).rejects.toThrow();
    expect(enqueued).toEqual([]);
  });
});
