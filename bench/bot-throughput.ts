/**
 * Updates per second end to end through the webhook path (real HTTP into our server, the real bot,
 * replies sent to the fake Bot API over HTTP), beside a bare telegraf echo bot on the same fake server
 * in the same run; and resident memory idle and after 10,000 questions.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Telegraf } from 'telegraf';
import { parseConfig } from '../core/config.ts';
import { loadContent } from '../core/content/load-content.ts';
import { createLogger } from '../core/logger.ts';
import { createBot } from '../bot/index.ts';
import { createServer } from '../web/server.ts';
import { buildApp } from '../bin/app.ts';
import { startFakeBotApi } from '../test/support/fake-bot-api.ts';
import { loadDevSet, round, writeResult } from './support.ts';

const SECRET = 'bench-secret-0123456789';
const CONTENT = new URL('../content', import.meta.url).pathname;

function updates(n: number, startId: number): object[] {
  const dev = loadDevSet();
  const qs = dev.inScope.map((d) => d.q);
  return Array.from({ length: n }, (_, i) => {
    const chat = 1_000_000 + (i % 5000); // many chats, as in real traffic, so flood control stays out of the way
    return { update_id: startId + i, message: { message_id: i + 1, date: 1, chat: { id: chat, type: 'private', first_name: 'x' }, from: { id: chat, is_bot: false, first_name: 'x' }, text: qs[i % qs.length] } };
  });
}

async function post(port: number, pathname: string, bodies: object[], concurrency: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  let next = 0;
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < bodies.length) {
      const body = JSON.stringify(bodies[next++]);
      await new Promise<void>((resolve, reject) => {
        const req = http.request({ port, path: pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET } }, (res) => {
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

export async function runBotBench(n = 3000): Promise<Record<string, unknown>> {
  const api = await startFakeBotApi();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bench-'));
  const config = parseConfig({ CONTENT_DIR: CONTENT, DATA_DIR: dataDir, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot });
  const logger = createLogger('silent');
  const app = await buildApp(config, loadContent(CONTENT), logger);
  const bot = createBot(app.deps, { token: api.token, apiRoot: api.apiRoot });
  const server = createServer({ logger, metrics: app.deps.metrics, webhook: { path: '/hook', secret: SECRET, handle: (u) => bot.handleUpdate(u) } });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const ourPort = (server.server.address() as AddressInfo).port;

  // Bare telegraf echo bot, telegraf's own webhook handler, same fake Bot API.
  const echo = new Telegraf(api.token, { telegram: { apiRoot: api.apiRoot } });
  echo.on('text', (ctx) => ctx.reply(ctx.message.text));
  const echoServer = http.createServer(echo.webhookCallback('/hook', { secretToken: SECRET }));
  await new Promise<void>((r) => echoServer.listen(0, '127.0.0.1', r));
  const echoPort = (echoServer.address() as AddressInfo).port;

  global.gc?.();
  const rssIdleMb = process.memoryUsage().rss / 2 ** 20;
  await post(ourPort, '/hook', updates(200, 1), 8); // warm-up
  await post(echoPort, '/hook', updates(200, 1), 8);
  const rounds: { ours: number; echo: number }[] = [];
  let id = 10_000;
  for (let r = 0; r < 3; r++) {
    const ours = await post(ourPort, '/hook', updates(n, id), 8);
    id += n;
    const bare = await post(echoPort, '/hook', updates(n, id), 8);
    id += n;
    rounds.push({ ours, echo: bare });
  }
  const remaining = 10_000 - 200 - 3 * n;
  if (remaining > 0) await post(ourPort, '/hook', updates(remaining, id), 8);
  global.gc?.();
  const rssAfterMb = process.memoryUsage().rss / 2 ** 20;
  const ratios = rounds.map((r) => r.ours / r.echo).sort((a, b) => a - b);

  await server.close();
  echoServer.close();
  await api.close();
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  const result = {
    updatesPerRound: n,
    rounds: rounds.map((r) => ({ oursPerSec: round(r.ours, 1), bareEchoPerSec: round(r.echo, 1), ratio: round(r.ours / r.echo) })),
    medianRatio: round(ratios[1]!),
    note: 'both bots serve the same fake Bot API over loopback HTTP; every reply is validated by it. Ours also writes the question log to SQLite (full sync) and de-duplicates update ids.',
    rssIdleMb: round(rssIdleMb, 1),
    rssAfter10kQuestionsMb: round(rssAfterMb, 1),
    questionsAnswered: 10_000,
  };
  writeResult('bot-throughput', result);
  return result;
}
