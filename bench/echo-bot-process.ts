/** A bare telegraf echo bot behind telegraf's own webhook handler: the baseline for bot throughput. */
import http from 'node:http';
import { Telegraf } from 'telegraf';

const { BOT_TOKEN = '', TELEGRAM_API_ROOT = '', PORT = '0', WEBHOOK_SECRET = '' } = process.env;
const bot = new Telegraf(BOT_TOKEN, { telegram: { apiRoot: TELEGRAM_API_ROOT } });
bot.on('text', (ctx) => ctx.reply(ctx.message.text));
const server = http.createServer(bot.webhookCallback('/hook', { secretToken: WEBHOOK_SECRET }));
server.listen(Number(PORT), '127.0.0.1', () => process.stdout.write('ready\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
