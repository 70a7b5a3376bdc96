/**
 * Updates per second end to end through the webhook path, each side in its own process: the strict
 * fake Bot API, our service started the way `npm start` starts it (webhook mode), and a bare telegraf
 * echo bot behind telegraf's own webhook handler. The bench process only posts updates. Resident memory
 * of our service is read from /proc: idle, and after 10,000 questions.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { loadDevSet, round, writeResult } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECRET = 'bench-secret-0123456789';

function start(script: string, env: Record<string, string>): { child: ChildProcess; firstLine: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, script)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const rl = readline.createInterface({ input: child.stdout! });
  const firstLine = new Promise<string>((resolve, reject) => {
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  firstLine.catch(() => undefined); // the exit at the end of the bench is expected
  return { child, firstLine };
}

async function waitHealthy(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('service did not become healthy');
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function updates(n: number, startId: number): string[] {
  const qs = loadDevSet().inScope.map((d) => d.q);
  return Array.from({ length: n }, (_, i) => {
    const chat = 1_000_000 + (i % 5000); // many chats, as in real traffic, so flood control stays out of the way
    return JSON.stringify({ update_id: startId + i, message: { message_id: i + 1, date: 1, chat: { id: chat, type: 'private', first_name: 'x' }, from: { id: chat, is_bot: false, first_name: 'x' }, text: qs[i % qs.length] } });
  });
}

async function post(port: number, bodies: string[], concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = bodies[next++]!;
      await new Promise<void>((resolve, reject) => {
        const req = http.request({ port, host: '127.0.0.1', path: '/hook', method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET } }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
        });
        req.on('error', reject);
        req.end(body);
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return bodies.length / ((performance.now() - t0) / 1000);
}

export async function runBotBench(n = 2000): Promise<Record<string, unknown>> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-'));
  const fake = start('bench/fake-api-process.ts', {});
  const { apiRoot, token } = JSON.parse(await fake.firstLine) as { apiRoot: string; token: string };
  const ourPort = 18_000 + Math.floor(Math.random() * 1000);
  const echoPort = ourPort + 1000;
  const ours = start('bin/start.ts', {
    BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot, PORT: String(ourPort), DATA_DIR: dataDir,
    WEBHOOK_URL: `http://127.0.0.1:${ourPort}/hook`, WEBHOOK_SECRET: SECRET, REDIS_URL: '',
  });
  const echo = start('bench/echo-bot-process.ts', { BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot, PORT: String(echoPort), WEBHOOK_SECRET: SECRET });
  try {
    await Promise.all([waitHealthy(ourPort), echo.firstLine]);
    await new Promise((r) => setTimeout(r, 500));
    const rssIdle = rssMb(ours.child.pid!);
    let id = 1;
    await post(ourPort, updates(200, id), 8); // warm-up
    await post(echoPort, updates(200, id), 8);
    id += 200;
    const rounds: { ours: number; echo: number }[] = [];
    for (let r = 0; r < 3; r++) {
      const a = await post(ourPort, updates(n, id), 8);
      id += n;
      const b = await post(echoPort, updates(n, id), 8);
      id += n;
      rounds.push({ ours: a, echo: b });
    }
    const answered = 200 + 3 * n;
    if (answered < 10_000) await post(ourPort, updates(10_000 - answered, id), 8);
    const rssAfter = rssMb(ours.child.pid!);
    const ratios = rounds.map((r) => r.ours / r.echo).sort((x, y) => x - y);
    const result = {
      updatesPerRound: n,
      concurrency: 8,
      rounds: rounds.map((r) => ({ oursPerSec: round(r.ours, 1), bareEchoPerSec: round(r.echo, 1), ratio: round(r.ours / r.echo) })),
      medianRatio: round(ratios[Math.floor(ratios.length / 2)]!),
      rssIdleMb: round(rssIdle, 1),
      rssAfter10kQuestionsMb: round(rssMb(ours.child.pid!), 1),
      rssAfter10kQuestionsFirstReadMb: round(rssAfter, 1),
      note: 'three processes: fake Bot API, our service (bin/start.ts in webhook mode, under tsx), bare telegraf echo bot; the bench only posts updates. Our service also logs each question to SQLite and de-duplicates update ids.',
    };
    writeResult('bot-throughput', result);
    return result;
  } finally {
    for (const p of [ours, echo, fake]) p.child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
