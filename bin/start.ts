/**
 * `npm start`: the service. Long polling by default; WEBHOOK_URL + WEBHOOK_SECRET switch to a webhook
 * on the HTTP server. Without BOT_TOKEN it exits and points to `npm run chat`.
 */
import { createBot } from '../bot/index.ts';
import { botCommands } from '../bot/features/start.ts';
import { createLogger } from '../core/logger.ts';
import { createServer } from '../web/server.ts';
import { buildApp } from './app.ts';
import { configOrExit, loadContentOrExit } from './cli-support.ts';
import { onShutdown } from './shutdown.ts';

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
const webhookPath = config.webhook ? new URL(config.webhook.url).pathname : undefined;
const server = createServer({
  logger,
  metrics: app.deps.metrics,
  webhook: config.webhook && webhookPath ? { path: webhookPath, secret: config.webhook.secret, handle: (u) => bot.handleUpdate(u) } : undefined,
});

await bot.telegram.setMyCommands(botCommands((k) => content.strings.t(k))).catch((err: Error) => logger.warn({ err }, 'setMyCommands failed'));
await server.listen({ port: config.port, host: '0.0.0.0' });
if (config.webhook) {
  bot.botInfo = await bot.telegram.getMe();
  await bot.telegram.setWebhook(config.webhook.url, { secret_token: config.webhook.secret, allowed_updates: ['message', 'callback_query'] });
  logger.info({ path: webhookPath }, 'webhook mode');
} else {
  // launch() resolves only when polling stops; errors end the process so a supervisor restarts it.
  bot.launch({ allowedUpdates: ['message', 'callback_query'] }).catch((err: Error) => {
    logger.fatal({ err }, 'polling stopped');
    process.exit(1);
  });
  logger.info('long polling');
}
logger.info({ entries: content.kb.entries.length, port: config.port }, 'service started');

onShutdown(logger, [
  ['bot', async () => { if (!config.webhook) bot.stop('shutdown'); }],
  ['http', () => server.close()],
  ['storage', () => app.close()],
]);
