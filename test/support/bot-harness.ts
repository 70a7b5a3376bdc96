import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Telegraf } from 'telegraf';
import { parseConfig, type Config } from '../../core/config.ts';
import { createLogger } from '../../core/logger.ts';
import { createBot } from '../../bot/index.ts';
import { startPolling, type Poller } from '../../bot/polling.ts';
import type { BotContext, BotDeps } from '../../bot/context.ts';
import { buildApp, type App } from '../../bin/app.ts';
import { startFakeBotApi, type FakeBotApi } from './fake-bot-api.ts';
import { createMemoryLimiter, type SendLimiter } from '../../jobs/send-limiter.ts';
import { CONTENT_DIR, realContent } from './content.ts';

/** Pacing for tests that are not about Telegram's limits: no per-chat gap, a generous overall rate. */
export const TEST_LIMITER = (): SendLimiter => createMemoryLimiter({ perSecond: 1000, perChatGapMs: 0, perGroupPerMinute: 1000 });

export interface BotHarness {
  readonly api: FakeBotApi;
  readonly bot: Telegraf<BotContext>;
  readonly app: App;
  readonly deps: BotDeps;
  readonly dataDir: string;
  stop(): Promise<void>;
}

/**
 * The real bot, polling a strict fake Bot API over HTTP, with a fresh SQLite file in a temp folder.
 * `env` adds configuration; `overrides` replaces deps (a clock, a tighter flood limit).
 */
export async function startBotHarness(
  env: Record<string, string> = {},
  overrides: Partial<BotDeps> = {},
  options: { poll?: boolean; realLimits?: boolean; requestTimeoutMs?: number } = {},
): Promise<BotHarness> {
  const api = await startFakeBotApi();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-test-'));
  const config: Config = parseConfig({ CONTENT_DIR, DATA_DIR: dataDir, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, ...env });
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
  const app = await buildApp(config, realContent(), logger);
  const deps: BotDeps = { ...app.deps, ...overrides };
  const bot = createBot(deps, { token: api.token, apiRoot: api.apiRoot });
  // The production send path; most tests do not want to wait out Telegram's per-chat pace between
  // the bot's messages, so unless a test is about the limits, the limiter only keeps the overall rate.
  app.installSendPath(bot, options.realLimits ? { requestTimeoutMs: options.requestTimeoutMs } : { limiter: TEST_LIMITER(), requestTimeoutMs: options.requestTimeoutMs });
  const poll = options.poll ?? true;
  let poller: Poller | undefined;
  if (poll) poller = startPolling(bot, { allowedUpdates: ['message', 'callback_query'], logger, inbox: app.inbox, timeoutSeconds: 1 });
  return {
    api, bot, app, deps, dataDir,
    async stop() {
      await poller?.stop();
      await api.close();
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The inline buttons of a sent message as {text, data}. */
export function inlineButtons(m: { reply_markup?: Record<string, unknown> } | undefined): { text: string; data: string }[] {
  const kb = (m?.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data?: string }[][];
  return kb.flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' }));
}
