import { createWorker, type Worker } from '../../jobs/worker.ts';
import type { BotDeps } from '../../bot/context.ts';
import { inlineButtons, startBotHarness, type BotHarness } from './bot-harness.ts';
import type { FakeBotApi, SentMessage, TgUser } from './fake-bot-api.ts';

export const STAFF_ID = 7_000_001;
export const OTHER_STAFF_ID = 7_000_002;
export const STAFF_GROUP = -1_001_234_567_890;
export const DATA_KEY = 'test-data-key-not-for-production';

export interface TipsHarness extends BotHarness {
  readonly worker: Worker;
}

/**
 * The real bot and the real job worker (in-process queue in the test's SQLite file) against the fake
 * Bot API, with a staff list, a staff group and DATA_KEY unless `env` says otherwise.
 */
export async function startTipsHarness(env: Record<string, string> = {}, overrides: Partial<BotDeps> = {}): Promise<TipsHarness> {
  const h = await startBotHarness({
    STAFF_IDS: `${STAFF_ID},${OTHER_STAFF_ID}`, STAFF_CHAT_ID: String(STAFF_GROUP), DATA_KEY, ...env,
  }, overrides);
  const { config, content, logger, now } = h.deps;
  const worker = createWorker({ config, content, database: h.app.database, telegram: h.bot.telegram, logger, jobs: h.app.queue, now, llm: h.deps.llm }, { queue: h.app.queue });
  await worker.start();
  h.api.addChat({ id: STAFF_GROUP, type: 'supergroup', title: '举报处理工作群' });
  return {
    ...h, worker,
    async stop() {
      await worker.close();
      await h.stop();
    },
  };
}

/** Waits for the next message (sent or edited) to `chat` after what is there now, matching `pred`. */
export function nextTo(api: FakeBotApi, chat: number, pred: (m: SentMessage) => boolean = () => true, timeoutMs = 15_000): Promise<SentMessage> {
  const before = api.sent.length;
  return api.waitFor((m) => m.chat_id === chat && api.sent.indexOf(m) >= before && pred(m), timeoutMs);
}

export const textOf = (m: SentMessage): string => m.plain_text ?? '';
export const has = (s: string) => (m: SentMessage): boolean => textOf(m).includes(s);

/** Presses the button whose callback data ends with `suffix` (or whose label is `suffix`) on `m`. */
export function press(api: FakeBotApi, chat: number, m: SentMessage, suffix: string, from?: Partial<TgUser>): void {
  const current = api.getMessage(chat, m.message_id) ?? m.message;
  const button = inlineButtons(current).find((b) => b.data.endsWith(`:${suffix}`) || b.text === suffix);
  if (!button) throw new Error(`no button ${suffix} on message ${m.message_id}: ${JSON.stringify(inlineButtons(current))}`);
  api.pressButton(chat, m.message_id, button.data, from);
}

export interface ReportOptions {
  area?: string;
  practice?: string;
  description?: string;
  town?: string;
  address?: string;
  photos?: number;
  realName?: { name: string; phone: string };
  /** The resident as Telegram describes them (name, username): must never reach staff. */
  from?: Partial<TgUser>;
}

/**
 * Walks the whole report flow as a resident would and stops at the summary with 确认提交; returns it.
 * Each step waits for the bot's reply before the next input, as a person would.
 */
export async function walkToSummary(api: FakeBotApi, chat: number, o: ReportOptions = {}): Promise<SentMessage> {
  const from = o.from ? { id: chat, ...o.from } : undefined;
  if (o.from) api.addChat({ id: chat, type: 'private', first_name: o.from.first_name ?? 'Test', ...(o.from.username ? { username: o.from.username } : {}) });
  let m = nextTo(api, chat, has('第 1 步'));
  api.sendText(chat, '/report', from);
  const area = await m;
  m = nextTo(api, chat, has(o.area === 'other' ? '第 3 步' : '第 2 步'));
  press(api, chat, area, o.area ?? 'fire', from);
  let step = await m;
  if (o.area !== 'other') {
    m = nextTo(api, chat, has('第 3 步'));
    press(api, chat, step, o.practice ?? 'fire-ebike-corridor', from);
    step = await m;
  }
  m = nextTo(api, chat, has('第 4 步'));
  api.sendText(chat, o.description ?? '3栋2单元楼道里天天有人给电瓶车充电，线从窗户拉下来', from);
  const town = await m;
  m = nextTo(api, chat, has('详细地址'));
  press(api, chat, town, o.town ?? 'longxi', from);
  const addr = await m;
  m = nextTo(api, chat, has('第 5 步'));
  if (o.address) api.sendText(chat, o.address, from);
  else press(api, chat, addr, '!skip', from);
  let photos = await m;
  for (let i = 0; i < (o.photos ?? 0); i++) {
    const got = nextTo(api, chat, has(`第 ${i + 1} 张`));
    api.sendPhoto(chat, { from });
    photos = await got;
  }
  m = nextTo(api, chat, has('第 6 步'));
  press(api, chat, photos, o.photos ? '!done' : '!skip', from);
  const ident = await m;
  if (!o.realName) {
    m = nextTo(api, chat, has('请确认'));
    press(api, chat, ident, '!anon', from);
    return m;
  }
  m = nextTo(api, chat, has('姓名'));
  press(api, chat, ident, '!real', from);
  await m;
  m = nextTo(api, chat, has('手机号'));
  api.sendText(chat, o.realName.name, from);
  await m;
  m = nextTo(api, chat, has('请确认'));
  api.sendText(chat, o.realName.phone, from);
  return m;
}

/** Starts /report and chooses 其他, so the next message the resident types is the description (step 3). */
export async function toDescription(api: FakeBotApi, chat: number): Promise<SentMessage> {
  let m = nextTo(api, chat, has('第 1 步'));
  api.sendText(chat, '/report');
  const area = await m;
  m = nextTo(api, chat, has('第 3 步'));
  press(api, chat, area, 'other');
  return m;
}

/** Confirms the summary and returns the acknowledgement with the tracking number. */
export async function submit(api: FakeBotApi, chat: number, summary: SentMessage): Promise<{ ack: SentMessage; tracking: string }> {
  const m = nextTo(api, chat, has('举报已收到'));
  press(api, chat, summary, '!submit');
  const ack = await m;
  const tracking = /JB\d{8}-\d{4}/.exec(textOf(ack))?.[0];
  if (!tracking) throw new Error(`no tracking number in ${textOf(ack)}`);
  return { ack, tracking };
}

/** Reports through the chat as a resident; returns the tracking number and the card posted to staff. */
export async function reportTip(api: FakeBotApi, chat: number, o: ReportOptions = {}): Promise<{ tracking: string; card: SentMessage }> {
  const summary = await walkToSummary(api, chat, o);
  const card = nextTo(api, STAFF_GROUP, (m) => m.method === 'sendMessage' && textOf(m).includes('新举报'));
  const { tracking } = await submit(api, chat, summary);
  return { tracking, card: await card };
}
