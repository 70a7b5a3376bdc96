/**
 * `npm run chat`: the real bot in the terminal, on embedded defaults, no token and no network.
 * Typed lines become Telegram updates fed to the bot; replies are printed; inline buttons are
 * numbered and pressed by typing their number.
 */
import readline from 'node:readline';
import type { Update } from 'telegraf/types';
import { createBot } from '../bot/index.ts';
import { startTerminalApi, TERMINAL_BOT, type OutgoingMessage } from '../bot/terminal/terminal-api.ts';
import { htmlToTerminal } from '../bot/terminal/html-to-terminal.ts';
import { createLogger } from '../core/logger.ts';
import { createWorker } from '../jobs/worker.ts';
import { buildApp } from './app.ts';
import { configOrExit, loadContentOrExit } from './cli-support.ts';

const config = configOrExit();
// The terminal is for people: logs go to a file-like sink only when asked for.
const logger = createLogger(process.env.LOG_LEVEL ?? 'silent');
const content = loadContentOrExit(config.contentDir);
const app = await buildApp({ ...config, redisUrl: undefined }, content, logger);
const color = process.stdout.isTTY === true;
const user = { id: 20_000_001, is_bot: false, first_name: '居民', language_code: 'zh-hans' };
const chat = { id: user.id, type: 'private' as const, first_name: user.first_name };

let buttons: { text: string; data: string; messageId: number }[] = [];
const print = (m: OutgoingMessage): void => {
  // Jobs also send to staff groups and other people; say so, so the terminal reads like the real thing.
  const to = m.chatId === chat.id ? '' : `（发往 ${m.chatId}）`;
  if (m.text) console.log(`\n${to}${htmlToTerminal(m.text, color)}`);
  if (m.inlineButtons.length) {
    buttons = m.inlineButtons.map((b) => ({ ...b, messageId: m.messageId }));
    console.log(buttons.map((b, i) => `  [${i + 1}] ${b.text}`).join('\n'));
  }
  if (m.replyButtons.length) console.log(`  菜单：${m.replyButtons.join(' · ')}`);
};
const api = await startTerminalApi(print, (toast) => console.log(`  (${toast})`));
const bot = createBot(app.deps, { token: '1:terminal', apiRoot: api.apiRoot });
app.installSendPath(bot);
bot.botInfo = { ...TERMINAL_BOT, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false };
// Embedded default: jobs (tip notices, invitations) run in this process, as they do under `npm start`.
const worker = createWorker(
  { config, content, database: app.database, telegram: bot.telegram, logger, jobs: app.queue, now: app.deps.now, sendLimiter: app.sendLimiter, llm: app.deps.llm },
  { queue: app.queue },
);
await worker.start();

let updateId = 1;
let messageId = 1;
const now = (): number => Math.floor(Date.now() / 1000);
const toUpdate = (line: string): Update => {
  const n = Number(line);
  const button = /^\d{1,2}$/.test(line) ? buttons[n - 1] : undefined;
  if (button) {
    return {
      update_id: updateId++,
      callback_query: { id: String(updateId), from: user, chat_instance: 'terminal', data: button.data, message: { message_id: button.messageId, date: now(), chat, text: '' } },
    } as Update;
  }
  const entities = line.startsWith('/') ? [{ type: 'bot_command' as const, offset: 0, length: line.split(/\s/)[0]!.length }] : undefined;
  return { update_id: updateId++, message: { message_id: messageId++, date: now(), chat, from: user, text: line, entities } } as Update;
};

console.log('平安渝北 · 终端聊天（输入问题回车；输入按钮编号选择；/start 查看菜单；Ctrl+D 退出）');
await bot.handleUpdate(toUpdate('/start'));
const rl = readline.createInterface({ input: process.stdin, output: process.stdout, prompt: '\n> ', terminal: process.stdin.isTTY === true });
rl.prompt();
for await (const line of rl) {
  const text = line.trim();
  if (text) await bot.handleUpdate(toUpdate(text));
  rl.prompt();
}
await worker.close();
await api.close();
await app.close();
console.log('\n再见，注意安全！');
