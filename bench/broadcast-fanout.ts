/**
 * Fan-out of one broadcast to N subscribers (default 10,000) against the strict fake Bot API, which
 * runs in its own process and enforces Telegram's limits (30/s overall, 1/s per chat): the achieved
 * rate as a fraction of the configured BROADCAST_RATE (target >= 0.9), 429 violations (target 0) and
 * duplicate deliveries (target 0), with the in-process queue and with bull on Redis.
 *
 *   npm run bench fanout                        # 10,000 at 25/s: about 7 minutes per mode
 *   BENCH_FANOUT_N=2000 BENCH_FANOUT_MODES=bull npm run bench fanout
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Telegram } from 'telegraf';
import { createBroadcastRepos } from '../core/broadcast/broadcast-repos.ts';
import { todayIn } from '../core/broadcast/dates.ts';
import { parseConfig, type Config } from '../core/config.ts';
import { loadContent } from '../core/content/load-content.ts';
import { createLogger } from '../core/logger.ts';
import { nowIso, openDatabase } from '../core/storage/database.ts';
import { enqueueDailyBroadcast } from '../jobs/broadcast/processors.ts';
import { createBullJobs } from '../jobs/bull-jobs.ts';
import { createInProcessJobs } from '../jobs/in-process-jobs.ts';
import { createRedisLimiter } from '../jobs/redis-send-limiter.ts';
import { createMemoryLimiter } from '../jobs/send-limiter.ts';
import { createWorker } from '../jobs/worker.ts';
import type { JobQueue } from '../jobs/types.ts';
import { nextDone, observedProcessors } from '../test/support/broadcast-harness.ts';
import { cleanPrefix, randomPrefix, requireRedis } from '../test/support/redis.ts';
import { round, writeResult } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const CONTENT = path.join(ROOT, 'content');

interface FakeStats { gaps: Record<string, number>; sent: number; chats: number; duplicates: number; violations: number; rejected: number; firstAt: number; lastAt: number; perSecondGlobal: number }

async function startFake(perSecondGlobal: number): Promise<{ child: ChildProcess; apiRoot: string; token: string; stats(): Promise<FakeStats> }> {
  const child = fork(path.join(ROOT, 'bench/fanout-fake-api.ts'), [], {
    execArgv: ['--import', 'tsx'], cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'], env: { ...process.env, FAKE_PER_SECOND: String(perSecondGlobal) },
  });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (d: Buffer) => resolve(d.toString()));
    child.once('exit', () => reject(new Error('fake Bot API process exited')));
  });
  const { apiRoot, token } = JSON.parse(line) as { apiRoot: string; token: string };
  const stats = (): Promise<FakeStats> => new Promise((resolve) => {
    child.once('message', (m) => resolve(m as FakeStats));
    child.send({ type: 'stats' });
  });
  return { child, apiRoot, token, stats };
}

async function runMode(mode: 'in-process' | 'bull', n: number, rate: number): Promise<Record<string, unknown>> {
  const fake = await startFake(Math.max(30, Math.ceil(rate * 1.2)));
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-fanout-'));
  const parsed = parseConfig({ CONTENT_DIR: CONTENT, DATA_DIR: dataDir, BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot });
  // The bench may ask for more than Telegram's 30/s (with the fake's limit raised to match).
  const config: Config = { ...parsed, broadcast: { ...parsed.broadcast, ratePerSecond: rate } };
  const logger = createLogger(process.env.BENCH_LOG_LEVEL ?? 'silent');
  const database = await openDatabase(config.databaseFile);
  const at = nowIso();
  for (let i = 0; i < n; i += 500) {
    const rows = Array.from({ length: Math.min(500, n - i) }, (_, k) => ({
      chat_id: 5_000_000 + i + k, chat_type: 'private', role: (i + k) % 10 === 0 ? 'operator' : 'resident', town_id: 'longxing',
      village: null, active: 1, inactive_reason: null, created_at: at, updated_at: at,
    }));
    await database.db.insertInto('broadcast_subscribers').values(rows).execute();
  }
  const redis = mode === 'bull' ? await requireRedis() : undefined;
  const prefix = randomPrefix();
  const queue: JobQueue = mode === 'bull' ? await createBullJobs({ redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', prefix, logger }) : createInProcessJobs(database, { logger });
  const sendLimiter = redis ? createRedisLimiter(redis, prefix, { perSecond: rate }) : createMemoryLimiter({ perSecond: rate });
  const events = new EventEmitter();
  const telegram = new Telegram(fake.token, { apiRoot: fake.apiRoot });
  const worker = createWorker({ config, content: loadContent(CONTENT), database, telegram, logger, jobs: queue, now: Date.now, sendLimiter }, { queue, processors: observedProcessors(events) });
  await worker.start();
  const done = nextDone(events, 'broadcast');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const today = todayIn(config.broadcast.timezone);
  await enqueueDailyBroadcast(queue, today);
  const progress = await done;
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const s = await fake.stats();
  const achieved = s.sent > 1 ? (s.sent - 1) / ((s.lastAt - s.firstAt) / 1000) : 0;
  const repos = createBroadcastRepos(database);
  const deliveries = await repos.deliveries.progress((await repos.store.daily(today))?.id ?? 0);

  await worker.close();
  await queue.close();
  if (redis) {
    await cleanPrefix(redis, prefix);
    redis.disconnect();
  }
  await database.close();
  fake.child.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
  return {
    mode, subscribers: n, configuredRatePerSec: rate, enforcedLimitPerSec: s.perSecondGlobal,
    achievedRatePerSec: round(achieved, 2), fractionOfConfigured: round(achieved / rate, 3),
    delivered: s.sent, distinctChats: s.chats, duplicates: s.duplicates, violations429: s.violations, rejectedSends: s.rejected,
    gapsMs: s.gaps, recordedSent: deliveries.sent, wallSeconds: round(wallS, 1), workerCpuPercent: round(((cpu.user + cpu.system) / 1e6 / wallS) * 100, 1),
    jobResult: progress,
  };
}

export async function runFanoutBench(): Promise<Record<string, unknown>> {
  const n = Number(process.env.BENCH_FANOUT_N ?? 10_000);
  const rate = Number(process.env.BENCH_FANOUT_RATE ?? 25);
  const modes = (process.env.BENCH_FANOUT_MODES ?? 'in-process,bull').split(',').filter(Boolean) as ('in-process' | 'bull')[];
  const runs: Record<string, unknown>[] = [];
  for (const mode of modes) {
    console.log(`fanout: ${mode}, ${n} subscribers at ${rate}/s …`);
    runs.push(await runMode(mode, n, rate));
  }
  const result = {
    runs,
    note: 'fake Bot API in its own process enforcing Telegram limits (429 counted as a violation); rate = (sent - 1) / (last - first send) as seen by the fake',
  };
  writeResult('broadcast-fanout', result);
  return result;
}
