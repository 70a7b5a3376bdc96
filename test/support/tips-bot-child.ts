/**
 * The real service in a child process, for the crash test: configuration from the environment (the
 * test points TELEGRAM_API_ROOT at its fake Bot API and DATA_DIR at a temp folder), then the same
 * buildApp → createBot → worker → long polling as `npm start`. The test kills it with SIGKILL.
 */
import { createBot } from '../../bot/index.ts';
import { buildApp } from '../../bin/app.ts';
import { parseConfig } from '../../core/config.ts';
import { loadContent } from '../../core/content/load-content.ts';
import { startPolling } from '../../bot/polling.ts';
import { createLogger } from '../../core/logger.ts';
import { createWorker } from '../../jobs/worker.ts';

const config = parseConfig(process.env);
const logger = createLogger(config.logLevel);
const content = loadContent(config.contentDir);
const app = await buildApp(config, content, logger);
const bot = createBot(app.deps, { token: config.telegram.token!, apiRoot: config.telegram.apiRoot });
app.installSendPath(bot);
const worker = createWorker(
  { config, content, database: app.database, telegram: bot.telegram, logger, jobs: app.queue, now: app.deps.now, sendLimiter: app.sendLimiter },
  { queue: app.queue },
);
await worker.start();
startPolling(bot, { allowedUpdates: ['message', 'callback_query'], logger, inbox: app.inbox });
process.stdout.write('polling\n');
