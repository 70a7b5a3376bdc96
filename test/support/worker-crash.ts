import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, vi } from 'vitest';
import { createBroadcastRepos } from '../../core/broadcast/broadcast-repos.ts';
import { clockIn } from '../../core/broadcast/clock.ts';
import { todayIn } from '../../core/broadcast/dates.ts';
import { openDatabase, type Database } from '../../core/storage/database.ts';
import { enqueueDailyBroadcast } from '../../jobs/broadcast/processors.ts';
import type { JobQueue } from '../../jobs/types.ts';
import { addSubscribers } from './broadcast-harness.ts';
import { CONTENT_DIR } from './content.ts';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.ts';
import { ROOT } from './run-cli.ts';

const SUBSCRIBERS = 1000;
const KILL_AFTER = 250;
/** Things to undo after each test, last first (the test file runs them in afterEach). */
export const cleanups: (() => Promise<unknown> | unknown)[] = [];

/**
 * A zone where it is not near midnight now, so "today" cannot change during the test (the processor
 * only sends a day's broadcast on that day).
 */
function safeZone(): string {
  const zone = ['Asia/Shanghai', 'America/New_York'].find((z) => {
    const hour = Number(clockIn(z, new Date()).slice(0, 2));
    return hour >= 2 && hour <= 21;
  });
  return zone ?? 'Asia/Shanghai';
}

/**
 * `npm start` with ROLES=worker as one real process (node with tsx as a loader: the tsx CLI would put
 * the service in a grandchild that SIGKILL on the CLI does not reach).
 */
function startWorkerProcess(api: FakeBotApi, dataDir: string, tz: string, redisUrl = ''): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bin/start.ts')], {
    cwd: ROOT,
    env: {
      ...process.env, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, DATA_DIR: dataDir, CONTENT_DIR, ROLES: 'worker',
      TZ_BROADCAST: tz, REDIS_URL: redisUrl, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', DATABASE_URL: '', WEBHOOK_URL: '', WEBHOOK_SECRET: '',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  cleanups.push(() => child.exitCode === null && child.kill('SIGKILL'));
  return child;
}

const exited = (child: ChildProcess): Promise<unknown> => (child.exitCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', r)));

/**
 * Enqueues today's broadcast to 1,000 subscribers, starts a worker process, SIGKILLs it after
 * KILL_AFTER sends, starts another, and checks that every subscriber got the script exactly once.
 */
export async function crashAndRestart(queueFor: (database: Database) => Promise<JobQueue>, redisUrl?: string): Promise<void> {
  const api = await startFakeBotApi();
  cleanups.push(() => api.close());
  api.enforceLimits();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-crash-'));
  cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const database = await openDatabase(path.join(dataDir, 'pingan.sqlite'));
  cleanups.push(() => database.close());
  const repos = createBroadcastRepos(database);
  const operators = await addSubscribers(repos, 100, { firstId: 1_000_001, role: 'operator', townId: 'gulu' });
  const residents = await addSubscribers(repos, SUBSCRIBERS - 100, { firstId: 2_000_001, role: 'resident' });
  const tz = safeZone();
  const today = todayIn(tz, new Date());
  const queue = await queueFor(database);
  cleanups.push(() => queue.close());
  await enqueueDailyBroadcast(queue, today);

  const first = startWorkerProcess(api, dataDir, tz, redisUrl);
  await api.waitForCalls(KILL_AFTER, 'sendMessage', 60_000);
  first.kill('SIGKILL'); // mid fan-out, wherever the worker happens to be
  await exited(first);
  const beforeRestart = api.sent.length;
  expect(beforeRestart).toBeGreaterThanOrEqual(KILL_AFTER);
  expect(beforeRestart).toBeLessThan(SUBSCRIBERS);

  const second = startWorkerProcess(api, dataDir, tz, redisUrl);
  await vi.waitFor(async () => expect((await repos.store.daily(today))?.completedAt).toBeTruthy(), { timeout: 90_000, interval: 250 });
  second.kill('SIGTERM');
  await exited(second);

  for (const id of [...operators, ...residents]) expect(api.messagesTo(id)).toHaveLength(1);
  expect(api.sent).toHaveLength(SUBSCRIBERS);
  expect(api.violations).toBe(0);
  const progress = await repos.deliveries.progress((await repos.store.daily(today))!.id);
  // At most the one send in flight at the kill is "in doubt" (and it did reach the fake Bot API).
  expect(progress.sent + progress.unknown).toBe(SUBSCRIBERS);
  expect(progress.unknown).toBeLessThanOrEqual(1);
}

