/**
 * `npm start`: the service. Long polling by default; WEBHOOK_URL + WEBHOOK_SECRET switch to a webhook
 * on the HTTP server. Without BOT_TOKEN it exits and points to `npm run chat`. ROLES picks what this
 * process runs (bot, web, worker, scheduler); by default one process runs all four.
 */
import { createBot } from '../bot/index.ts';
import { startPolling, type Poller } from '../bot/polling.ts';
import { botCommands } from '../bot/features/start.ts';
import { operatorCommands } from '../bot/features/operator-scripts.ts';
import { broadcastCommands } from '../bot/features/broadcast-subscribe.ts';
import { createLogger } from '../core/logger.ts';
import { createServer } from '../web/server.ts';
import { buildApp } from './app.ts';
import { configOrExit, loadContentOrExit } from './cli-support.ts';
import { onShutdown } from './shutdown.ts';
import { createWorker } from '../jobs/worker.ts';
import { createSchedule } from '../jobs/schedule.ts';
import { processors } from '../jobs/registry.ts';

const config = configOrExit();
if (!config.telegram.token) {
  console.error(
    'BOT_TOKEN is not set, so the Telegram bot cannot start.\n' +
      'To try the bot without Telegram, run:  npm run chat\n' +
      'To run it on Telegram, put the token from @BotFather in BOT_TOKEN (see .env.example).',
  );
  process.exit(1);
}
const logger = createLogger(config.logLevel);
const content = loadContentOrExit(config.contentDir);
const app = await buildApp(config, content, logger).catch((err: Error) => {
  logger.fatal(err.message);
  process.exit(1);
});
const bot = createBot(app.deps, { token: config.telegram.token, apiRoot: config.telegram.apiRoot });
// Everything this process sends (replies, notices, staff cards, broadcasts) goes through one send path.
app.installSendPath(bot);
const role = (r: (typeof config.roles)[number]): boolean => config.roles.includes(r);
// A webhook is a route on the HTTP server, so the bot role brings the server along in webhook mode.
const runServer = role('web') || (role('bot') && config.webhook !== undefined);
const webhookPath = config.webhook ? new URL(config.webhook.url).pathname : undefined;
const server = createServer({
  logger,
  metrics: app.deps.metrics,
  scripts: { source: app.deps.scripts, strings: content.strings, timezone: config.broadcast.timezone, now: app.deps.now },
  webhook: config.webhook && webhookPath ? { path: webhookPath, secret: config.webhook.secret, handle: (u) => bot.handleUpdate(u) } : undefined,
});

// The worker sends with the bot's client; Redis (if set) was checked by buildApp, noeviction here.
const worker = role('worker')
  ? createWorker(
    { config, content, database: app.database, telegram: bot.telegram, logger, jobs: app.queue, now: app.deps.now, sendLimiter: app.sendLimiter, llm: app.deps.llm },
    { queue: app.queue },
  )
  : undefined;
await worker?.start().catch(async (err: Error) => {
  logger.fatal(err.message);
  await app.close().catch(() => undefined);
  process.exit(1);
});
const schedule = role('scheduler')
  ? createSchedule({
    config, jobs: app.queue, store: app.deps.broadcast.store, logger, now: app.deps.now,
    // Other features' safety-net sweeps, run every few minutes by whichever process schedules.
    periodic: [
      ...('tips-sweep' in processors ? [{ name: 'tips-sweep', everyMinutes: 5 }] : []),
      ...('volunteer-sweep' in processors ? [{ name: 'volunteer-sweep', everyMinutes: 5 }] : []),
    ],
  })
  : undefined;
await schedule?.start();

if (role('bot')) await bot.telegram.setMyCommands([...botCommands((k) => content.strings.t(k)), ...operatorCommands((k) => content.strings.t(k)), ...broadcastCommands((k) => content.strings.t(k))]).catch((err: Error) => logger.warn({ err }, 'setMyCommands failed'));
if (runServer) await server.listen({ port: config.port, host: '0.0.0.0' });
let poller: Poller | undefined;
if (!role('bot')) {
  logger.info({ roles: config.roles }, 'bot role off: not receiving Telegram updates');
} else if (config.webhook) {
  bot.botInfo = await bot.telegram.getMe();
  await bot.telegram.setWebhook(config.webhook.url, { secret_token: config.webhook.secret, allowed_updates: ['message', 'callback_query'] });
  logger.info({ path: webhookPath }, 'webhook mode');
} else {
  // Polling ends only on a fatal error (another poller, a revoked token): exit so a supervisor restarts it.
  poller = startPolling(bot, { allowedUpdates: ['message', 'callback_query'], logger, inbox: app.inbox });
  poller.done.catch((err: Error) => {
    logger.fatal({ err: err.message }, 'polling stopped');
    process.exit(1);
  });
  logger.info('long polling');
}
logger.info({ entries: content.kb.entries.length, port: runServer ? config.port : undefined, roles: config.roles, jobs: app.queue.mode }, 'service started');

// Intake first (cron, bot, HTTP), then the worker (running jobs stop at a safe point), then queues,
// Redis and the database (app.close, in that order).
onShutdown(logger, [
  ['cron', () => schedule?.stop()],
  ['bot', () => poller?.stop()],
  ['http', () => (runServer ? server.close() : undefined)],
  ['worker', () => worker?.close()],
  ['storage', () => app.close()],
]);
