import type { Telegraf } from 'telegraf';
import { createBot } from '../../bot/index.ts';
import { startPolling, type Poller } from '../../bot/polling.ts';
import type { BotContext, BotDeps } from '../../bot/context.ts';
import type { Logger } from '../../core/logger.ts';
import { createVolunteerEraser } from '../../core/volunteers/volunteer-eraser.ts';
import { createBullJobs } from '../../jobs/bull-jobs.ts';
import { createInProcessJobs } from '../../jobs/in-process-jobs.ts';
import { cleanPrefix, randomPrefix, requireRedis, TEST_REDIS_URL } from './redis.ts';
import type { SendLimiter } from '../../jobs/send-limiter.ts';
import type { JobQueue } from '../../jobs/types.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import { inlineButtons, startBotHarness, TEST_LIMITER, type BotHarness } from './bot-harness.ts';
import type { FakeBotApi, SentMessage } from './fake-bot-api.ts';

export const STAFF_ID = 8_100_001;
export const DATA_KEY = 'volunteer-test-key-not-for-production';
/** Tuesday 1 December 2026, 09:00 in Asia/Shanghai. */
export const T0 = Date.parse('2026-12-01T01:00:00Z');
export const HOUR = 3_600_000;

export interface TestClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function createClock(start = T0): TestClock {
  let t = start;
  return { now: () => t, set: (ms) => void (t = ms), advance: (ms) => void (t += ms) };
}

/** Sends at once: pacing is the broadcast tests' subject, and real-time gaps would only slow these. */
const noLimiter: SendLimiter = { acquire: async () => {}, pause: async () => {}, pauseChat: async () => {}, holdUrgent: async () => async () => {} };

export interface VolunteerHarness extends Omit<BotHarness, 'bot' | 'deps'> {
  readonly bot: Telegraf<BotContext>;
  readonly deps: BotDeps;
  readonly clock: TestClock;
  readonly queue: JobQueue;
  readonly worker: Worker;
  /** Hands updates straight to the bot, all at once (use with poll: false), and waits until all are handled. */
  deliver(...updates: object[]): Promise<void>;
}

/**
 * The real bot and the real in-process job worker against the fake Bot API, on one test clock shared
 * by the bot, the queue and the processors: advancing the clock makes a delayed reminder due, and the
 * worker (polling every 20 ms) sends it, which the test awaits as a message.
 */
export async function startVolunteerHarness(
  env: Record<string, string> = {}, clock = createClock(), options: { poll?: boolean; logger?: Logger; bull?: boolean } = {},
): Promise<VolunteerHarness> {
  const h = await startBotHarness({ STAFF_IDS: String(STAFF_ID), DATA_KEY, ...env }, {}, { poll: false });
  const { config, content } = h.deps;
  const logger = options.logger ?? h.deps.logger;
  // bull: the same processors on Redis, under a random key prefix removed at the end (delays are real time there).
  const redis = options.bull ? await requireRedis() : undefined;
  const prefix = randomPrefix();
  const queue: JobQueue = redis
    ? await createBullJobs({ redisUrl: TEST_REDIS_URL, prefix, logger })
    : createInProcessJobs(h.app.database, { logger, now: clock.now, pollMs: 20, backoffMs: 50 });
  const volunteers = { ...h.deps.volunteers, now: clock.now };
  const deps: BotDeps = {
    ...h.deps, logger, now: clock.now, jobs: queue, volunteers,
    erasers: [...h.deps.erasers.filter((e) => e.name !== 'volunteers'), createVolunteerEraser(volunteers, queue, content.strings)],
  };
  const bot = createBot(deps, { token: h.api.token, apiRoot: h.api.apiRoot });
  h.app.installSendPath(bot, { limiter: TEST_LIMITER() });
  const poll = options.poll ?? true;
  // Without polling, a test hands updates to the bot itself (several at once, as one getUpdates batch would).
  let poller: Poller | undefined;
  if (poll) poller = startPolling(bot, { allowedUpdates: ['message', 'callback_query'], logger, inbox: h.app.inbox, timeoutSeconds: 1 });
  else bot.botInfo = { ...h.api.botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } as typeof bot.botInfo;
  const worker = createWorker(
    { config, content, database: h.app.database, telegram: bot.telegram, logger, jobs: queue, now: clock.now, sendLimiter: noLimiter },
    { queue },
  );
  await worker.start();
  h.api.addChat(STAFF_ID);
  return {
    ...h, bot, deps, clock, queue, worker,
    async deliver(...updates) {
      await Promise.all(updates.map((u) => bot.handleUpdate(u as Parameters<typeof bot.handleUpdate>[0])));
    },
    async stop() {
      await worker.close();
      await poller?.stop();
      await queue.close();
      if (redis) {
        await cleanPrefix(redis, prefix);
        redis.disconnect();
      }
      await h.stop();
    },
  };
}

/** The next message (sent or edited) to `chat` after what is there now, matching `pred`. */
export function nextTo(api: FakeBotApi, chat: number, pred: (m: SentMessage) => boolean = () => true, timeoutMs?: number): Promise<SentMessage> {
  const before = api.sent.length;
  return api.waitFor((m) => m.chat_id === chat && api.sent.indexOf(m) >= before && pred(m), timeoutMs);
}

export const textOf = (m: SentMessage): string => m.plain_text ?? '';
export const has = (s: string) => (m: SentMessage): boolean => textOf(m).includes(s);

/** Presses the button labelled `label` (or whose data ends with `:label`) on the current state of `m`. */
export function press(api: FakeBotApi, chat: number, m: SentMessage, label: string, from?: { id: number }) {
  const current = api.getMessage(chat, m.message_id) ?? m.message;
  const button = inlineButtons(current).find((b) => b.text === label || b.text === `✓ ${label}` || b.data.endsWith(`:${label}`));
  if (!button) throw new Error(`no button "${label}" on message ${m.message_id}: ${JSON.stringify(inlineButtons(current).map((b) => b.text))}`);
  return api.pressButton(chat, m.message_id, button.data, from);
}

export interface SignUp {
  name?: string;
  phone?: string;
  town?: string;
  community?: string;
  skills?: string[];
  availability?: string[];
}

/** Walks sign-up as a person would (each input after the bot's reply) and stops at the summary. */
export async function walkSignUp(api: FakeBotApi, chat: number, o: SignUp = {}): Promise<SentMessage> {
  let next = nextTo(api, chat, has('个人信息告知'));
  api.sendText(chat, '/volunteer');
  const consent = await next;
  next = nextTo(api, chat, has('第 1 步'));
  press(api, chat, consent, '✅ 同意并开始');
  await next;
  next = nextTo(api, chat, has('第 2 步'));
  api.sendText(chat, o.name ?? '张三');
  await next;
  next = nextTo(api, chat, has('第 3 步'));
  api.sendText(chat, o.phone ?? '13812345678');
  const town = await next;
  next = nextTo(api, chat, has('第 4 步'));
  press(api, chat, town, o.town ?? '两路街道');
  await next;
  next = nextTo(api, chat, has('第 5 步'));
  api.sendText(chat, o.community ?? '双湖社区');
  const skills = await next;
  for (const s of o.skills ?? ['急救']) {
    const edited = nextTo(api, chat, (m) => m.method === 'editMessageReplyMarkup');
    press(api, chat, skills, s);
    await edited;
  }
  next = nextTo(api, chat, has('第 6 步'));
  press(api, chat, skills, '完成 ✓');
  const avail = await next;
  for (const s of o.availability ?? ['随时']) {
    const edited = nextTo(api, chat, (m) => m.method === 'editMessageReplyMarkup');
    press(api, chat, avail, s);
    await edited;
  }
  next = nextTo(api, chat, has('请确认您的登记信息'));
  press(api, chat, avail, '完成 ✓');
  return next;
}

/** Signs up completely and waits for 登记成功. */
/** /delete_me: waits for the preview that lists `listed`, confirms it, and waits for the result that says `done`. */
export async function confirmDeleteMe(api: FakeBotApi, chat: number, listed: string, done: string): Promise<void> {
  let m = nextTo(api, chat, has(listed));
  api.sendText(chat, '/delete_me');
  const preview = await m;
  m = nextTo(api, chat, has(done));
  press(api, chat, preview, inlineButtons(preview)[0]!.text);
  await m;
}

export async function signUp(api: FakeBotApi, chat: number, o: SignUp = {}): Promise<void> {
  const summary = await walkSignUp(api, chat, o);
  const done = nextTo(api, chat, has('登记成功'));
  press(api, chat, summary, '✅ 确认提交');
  await done;
}
