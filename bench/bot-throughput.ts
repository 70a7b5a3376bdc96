/**
 * Updates per second end to end through the webhook path, each side in its own process: the strict
 * fake Bot API, our service started the way `npm start` starts it (the esbuild bundle in dist/, webhook
 * mode), and a bare telegraf echo bot behind telegraf's own webhook handler. The bench process only
 * posts updates. Resident memory of our service is read from /proc: idle, and after 10,000 questions;
 * CPU time per update of each process too, so the gap to the echo bot can be read as work done.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import { loadDevSet, round, writeResult } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECRET = 'bench-secret-0123456789';

/** The node flags `npm start` runs the service with (package.json), so the bench runs it the same way. */
function startFlags(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const m = /exec node (.*?)dist\/start\.js/.exec(pkg.scripts.start);
  if (!m) throw new Error('package.json start script no longer runs `exec node … dist/start.js`: update the bench');
  return m[1]!.split(' ').filter(Boolean);
}

function start(script: string, env: Record<string, string>): { child: ChildProcess; firstLine: Promise<string> } {
  const args = script.endsWith('.js') ? [...startFlags(), path.join(ROOT, script)] : ['--import', 'tsx', path.join(ROOT, script)];
  const child = spawn(process.execPath, args, {
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

/** User + system CPU milliseconds the process has used so far. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100 on Linux
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
  // `npm start` builds the bundle and runs it with plain node; the bench runs the same artifact.
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
  const ours = start('dist/start.js', {
    BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot, PORT: String(ourPort), DATA_DIR: dataDir,
    WEBHOOK_URL: `http://127.0.0.1:${ourPort}/hook`, WEBHOOK_SECRET: SECRET, REDIS_URL: '',
  });
  const echo = start('bench/echo-bot-process.ts', { BOT_TOKEN: token, TELEGRAM_API_ROOT: apiRoot, PORT: String(echoPort), WEBHOOK_SECRET: SECRET });
  try {
    await Promise.all([waitHealthy(ourPort), echo.firstLine]);
    await new Promise((r) => setTimeout(r, 500));
    const rssIdle = rssMb(ours.child.pid!);
    let id = 1;
    // Warm-up long enough for both JITs to settle (the echo bot keeps speeding up for ~5,000 updates).
    const warm = 4000;
    await post(ourPort, updates(warm, id), 8);
    await post(echoPort, updates(warm, id), 8);
    id += warm;
    const rounds: { ours: number; echo: number; oursCpuUs: number; echoCpuUs: number; fakeCpuUs: number }[] = [];
    const timed = async (port: number, pid: number) => {
      const c0 = cpuMs(pid);
      const f0 = cpuMs(fake.child.pid!);
      const rate = await post(port, updates(n, id), 8);
      id += n;
      return { rate, cpuUs: ((cpuMs(pid) - c0) * 1000) / n, fakeCpuUs: ((cpuMs(fake.child.pid!) - f0) * 1000) / n };
    };
    for (let r = 0; r < 3; r++) {
      const a = await timed(ourPort, ours.child.pid!);
      const b = await timed(echoPort, echo.child.pid!);
      rounds.push({ ours: a.rate, echo: b.rate, oursCpuUs: a.cpuUs, echoCpuUs: b.cpuUs, fakeCpuUs: a.fakeCpuUs });
    }
    const answered = warm + 3 * n;
    if (answered < 10_000) await post(ourPort, updates(10_000 - answered, id), 8);
    const rssAfter = rssMb(ours.child.pid!);
    const ratios = rounds.map((r) => r.ours / r.echo).sort((x, y) => x - y);
    const result = {
      updatesPerRound: n,
      concurrency: 8,
      rounds: rounds.map((r) => ({
        oursPerSec: round(r.ours, 1), bareEchoPerSec: round(r.echo, 1), ratio: round(r.ours / r.echo),
        cpuUsPerUpdate: { ours: round(r.oursCpuUs, 0), bareEcho: round(r.echoCpuUs, 0), fakeApiServingOurs: round(r.fakeCpuUs, 0) },
      })),
      medianRatio: round(ratios[Math.floor(ratios.length / 2)]!),
      rssIdleMb: round(rssIdle, 1),
      rssAfter10kQuestionsMb: round(rssMb(ours.child.pid!), 1),
      rssAfter10kQuestionsFirstReadMb: round(rssAfter, 1),
      note: 'three processes on the same cores: fake Bot API, our service (dist/start.js as npm start runs it, webhook mode), bare telegraf echo bot; the bench only posts updates. Per update our service also de-duplicates the update id, reads the session and logs the question in SQLite, triages, searches and renders the answer with a keyboard.',
    };
    writeResult('bot-throughput', result);
    return result;
  } finally {
    for (const p of [ours, echo, fake]) p.child.kill('SIGTERM');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
