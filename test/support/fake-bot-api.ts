/**
 * A strict fake of the Telegram Bot API over real HTTP (node:http only), for integration tests
 * that run the real telegraf bot with `telegram: { apiRoot: fake.apiRoot }`.
 *
 *   const fake = await startFakeBotApi();
 *   const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
 *   fake.sendText(42, '/start');
 *   const reply = await fake.waitFor((m) => m.chat_id === 42);
 *   ...
 *   bot.stop(); await fake.close();
 *
 * Behaviour mirrors Telegram: getUpdates offset confirmation + long polling, 409 while a webhook is
 * set or when a second getUpdates replaces a pending one, HTML/MarkdownV2 entity parsing with
 * Telegram's error texts, 4096/1024 length limits after parsing, reply_markup checks, per-chat
 * increasing message ids, "message is not modified", callback query ids that can be answered once.
 * Fault injection: blockChat (403), rateLimit (429 + retry_after), enforceLimits (sliding-window
 * limiter that counts violations), injectError (anything else).
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { EntityParseError, codePointLength, parseFormattedText, type TgEntity } from './fake-bot-api-html.ts';
import {
  ApiError, badRequest, canonicalJson, intParam, isUploadedFile, jsonParam, parseParams, readBody, strParam,
  validateReplyMarkup, type Params,
} from './fake-bot-api-wire.ts';

export type { TgEntity } from './fake-bot-api-html.ts';

export interface TgUser {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  [key: string]: unknown;
}
export interface TgChat {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  username?: string;
  first_name?: string;
  last_name?: string;
  [key: string]: unknown;
}
export interface TgMessage {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  text?: string;
  entities?: TgEntity[];
  caption?: string;
  caption_entities?: TgEntity[];
  reply_markup?: Record<string, unknown>;
  edit_date?: number;
  [key: string]: unknown;
}
export interface TgCallbackQuery {
  id: string;
  from: TgUser;
  message: TgMessage;
  chat_instance: string;
  data: string;
}
export interface TgUpdate {
  update_id: number;
  message?: TgMessage;
  callback_query?: TgCallbackQuery;
  [key: string]: unknown;
}

export interface FakeBotApiOptions {
  /** Default '123456:TEST'. */
  token?: string;
  /** Overrides for the bot's own User (getMe / `from` of sent messages). */
  bot?: Partial<TgUser>;
  host?: string;
  port?: number;
  /** Sending to a chat that never appeared in an update (nor addChat) → 400 "chat not found". Default false. */
  requireKnownChats?: boolean;
  /** Callback queries older than this cannot be answered ("query is too old"). Default: never expire. */
  callbackQueryTtlMs?: number;
  /** Delay between webhook delivery retries. Default 200ms. */
  webhookRetryMs?: number;
}

/** One successful outgoing send/edit. `text`/`caption` are as sent (with markup); `plain_text` is after parsing. */
export interface SentMessage {
  method: string;
  chat_id: number;
  message_id: number;
  text?: string;
  caption?: string;
  plain_text?: string;
  parse_mode?: string;
  entities?: TgEntity[];
  reply_markup?: Record<string, unknown>;
  params: Params;
  /** The Message object as returned to the bot (current state at the time of the call). */
  message: TgMessage;
  at: number;
}

export interface CallRecord {
  method: string;
  params: Params;
  status: number;
  ok: boolean;
  description?: string;
  result?: unknown;
  via: 'http' | 'webhook-reply';
  at: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert: boolean;
  url?: string;
  at: number;
}

export interface RateLimitOptions {
  /** Seconds reported in parameters.retry_after. */
  retryAfter: number;
  /** Fail the next `times` matching sends (default 1 without chatId). Use Infinity for "until cleared". */
  times?: number;
  /** Only sends to this chat. Without `times`, every send to it fails until `retryAfter` seconds have passed
   *  (like Telegram, the reported retry_after counts down). */
  chatId?: number | string;
}

export interface LimitsOptions {
  perSecondGlobal?: number;
  perChatPerSecond?: number;
  perGroupPerMinute?: number;
}

export interface InjectErrorOptions {
  method?: string;
  chatId?: number | string;
  times?: number;
  errorCode: number;
  description: string;
  parameters?: Record<string, unknown>;
}

/** Transport faults: a request that hangs (no answer for `ms`, or until the client gives up) or a reset connection. */
export interface InjectFaultOptions {
  method?: string;
  chatId?: number | string;
  times?: number;
  kind: 'hang' | 'reset';
  /** For 'hang': how long before the request is handled after all (default: never). */
  ms?: number;
}

export type SentMatcher = ((m: SentMessage) => boolean) | string | RegExp;

interface StoredMessage { message: TgMessage; fromBot: boolean; hasText: boolean }
interface ChatState { chat: TgChat; nextId: number; messages: Map<number, StoredMessage> }
/** The user who sends group messages when a test names none (the group's creator unless setChatAdmins says otherwise). */
const DEFAULT_GROUP_SENDER = 1_000_001;
interface Queued { update: TgUpdate; forced: boolean; delivered: boolean }
interface Waiter { limit: number; finish: (r: TgUpdate[] | ApiError) => void }
interface FileRecord { file_id: string; file_unique_id: string; file_size: number; file_path: string; data: Buffer }
interface PendingQuery { createdAt: number }
type Handler = (p: Params, signal: AbortSignal) => unknown;

const DEFAULT_TOKEN = '123456:TEST';
const NOT_DEFAULT_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const CHAT_ACTIONS = new Set([
  'typing', 'upload_photo', 'record_video', 'upload_video', 'record_voice', 'upload_voice', 'upload_document',
  'choose_sticker', 'find_location', 'record_video_note', 'upload_video_note',
]);
const MEDIA_FIELDS: Record<string, string> = {
  sendPhoto: 'photo', sendDocument: 'document', sendSticker: 'sticker', sendVideo: 'video', sendAudio: 'audio',
  sendVoice: 'voice', sendAnimation: 'animation',
};
const nowSec = (): number => Math.floor(Date.now() / 1000);
const chatKey = (id: number | string): string => String(id);
const randomId = (prefix: string, bytes = 24): string => prefix + randomBytes(bytes).toString('base64url');

export class FakeBotApi {
  readonly token: string;
  readonly botUser: TgUser;
  apiRoot = '';
  /** Every successful outgoing send/edit, in order. */
  readonly sent: SentMessage[] = [];
  /** Every method call (including failures and getUpdates), in order. */
  readonly calls: CallRecord[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];
  readonly deleted: { chat_id: number; message_id: number; at: number }[] = [];
  /** 429s produced by the enforceLimits() limiter. */
  violations = 0;
  webhook: { url: string; secret_token?: string; allowed_updates?: string[]; last_error_message?: string } | undefined;

  private readonly server: http.Server;
  private readonly options: FakeBotApiOptions;
  private readonly chats = new Map<string, ChatState>();
  /** Group administrators by chat; a group without an entry has the default group sender as its creator. */
  private readonly admins = new Map<string, Set<number>>();
  private readonly files = new Map<string, FileRecord>();
  private readonly queries = new Map<string, PendingQuery>();
  private readonly commands = new Map<string, unknown[]>();
  private readonly blocked = new Set<string>();
  private rateLimits: (RateLimitOptions & { until?: number })[] = [];
  private injected: InjectErrorOptions[] = [];
  private faults: InjectFaultOptions[] = [];
  private limits: Required<LimitsOptions> | undefined;
  private readonly sendTimes: { at: number; chat: string }[] = [];
  private queue: Queued[] = [];
  private readonly allUpdates = new Map<number, TgUpdate>();
  private confirmedBelow = 0;
  private nextUpdateId = 100_000_001;
  private nextQueryId = 0;
  private allowedUpdates: string[] | undefined;
  private waiters = new Set<Waiter>();
  private readonly listeners = new Set<() => void>();
  private readonly closing = new AbortController();
  private pumping = false;
  private readonly inflight = new Set<Promise<void>>();
  private readonly handlers: Map<string, [string, Handler]>;

  constructor(options: FakeBotApiOptions = {}) {
    this.options = options;
    this.token = options.token ?? DEFAULT_TOKEN;
    const id = Number(this.token.split(':')[0]) || 123456;
    this.botUser = { id, is_bot: true, first_name: 'Test Bot', username: 'test_bot', ...options.bot };
    this.server = http.createServer((req, res) => {
      const done = this.onRequest(req, res);
      this.inflight.add(done);
      void done.finally(() => this.inflight.delete(done));
    });
    const h: Record<string, Handler> = {
      getUpdates: (p, signal) => this.getUpdates(p, signal),
      getMe: () => ({
        ...this.botUser, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
        can_connect_to_business: false, has_main_web_app: false,
      }),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => {
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.queue = [];
        this.webhook = undefined;
        return true;
      },
      getWebhookInfo: () => ({
        url: this.webhook?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length,
        ...(this.webhook ? { max_connections: 40, ip_address: '127.0.0.1' } : {}),
        ...(this.webhook?.last_error_message ? { last_error_date: nowSec(), last_error_message: this.webhook.last_error_message } : {}),
        ...(this.webhook?.allowed_updates ? { allowed_updates: this.webhook.allowed_updates } : {}),
      }),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commands.get(this.commandsKey(p)) ?? [],
      deleteMyCommands: (p) => (this.commands.delete(this.commandsKey(p)), true),
      getChat: (p) => this.target(p).chat,
      getChatMember: (p) => this.getChatMember(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendMessage: (p) => this.sendMessage(p),
      editMessageText: (p) => this.editMessage(p, 'editMessageText'),
      editMessageCaption: (p) => this.editMessage(p, 'editMessageCaption'),
      editMessageReplyMarkup: (p) => this.editMessage(p, 'editMessageReplyMarkup'),
      deleteMessage: (p) => this.deleteMessage(p),
      sendChatAction: (p) => {
        const chat = this.target(p);
        if (!CHAT_ACTIONS.has(strParam(p, 'action') ?? '')) throw badRequest('wrong parameter action in request');
        this.gate('sendChatAction', chat);
        return true;
      },
      sendLocation: (p) => this.apiSendLocation(p),
      getFile: (p) => {
        const f = this.files.get(strParam(p, 'file_id') ?? '');
        if (!f) throw badRequest('invalid file_id');
        return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, file_path: f.file_path };
      },
    };
    for (const method of Object.keys(MEDIA_FIELDS)) h[method] = (p) => this.sendMedia(method, p);
    this.handlers = new Map(Object.entries(h).map(([name, fn]) => [name.toLowerCase(), [name, fn]]));
  }

  async listen(): Promise<this> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    this.apiRoot = `http://${host}:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Stops the server; pending long polls are answered with [] first. */
  async close(): Promise<void> {
    if (this.closing.signal.aborted) return;
    this.closing.abort();
    for (const w of [...this.waiters]) w.finish([]);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // let the answered long polls (and any other in-flight request) flush their responses
    await Promise.race([Promise.allSettled(this.inflight), sleep(1000)]);
    this.server.closeAllConnections();
    await closed;
  }

  /** Clears recordings (sent, calls, answers, deletions, violations) and all injected faults. */
  reset(): void {
    this.sent.length = 0;
    this.calls.length = 0;
    this.callbackAnswers.length = 0;
    this.deleted.length = 0;
    this.violations = 0;
    this.blocked.clear();
    this.rateLimits = [];
    this.injected = [];
    this.faults = [];
    this.limits = undefined;
  }

  // ------------------------------------------------------------------ updates

  /** Queue a raw update; assigns an increasing update_id unless one is given. Returns the queued update. */
  pushUpdate(update: object): TgUpdate {
    const u = { ...update } as TgUpdate;
    if (typeof u.update_id !== 'number') u.update_id = this.nextUpdateId++;
    else this.nextUpdateId = Math.max(this.nextUpdateId, u.update_id + 1);
    this.allUpdates.set(u.update_id, u);
    this.enqueue(u, u.update_id < this.confirmedBelow);
    return u;
  }

  /** Push an already-pushed update again, with the same update_id (duplicate delivery). */
  redeliver(updateId: number): TgUpdate {
    const u = this.allUpdates.get(updateId);
    if (!u) throw new Error(`fake-bot-api: redeliver(${updateId}): no such update was ever pushed`);
    this.enqueue(u, true);
    return u;
  }

  /** Register a chat (e.g. a user who has started the bot before) without sending an update. */
  addChat(chat: number | (Partial<TgChat> & { id: number })): TgChat {
    return this.chatState(typeof chat === 'number' ? { id: chat } : chat).chat;
  }

  /** A private-chat (or any chat) message update with arbitrary content, e.g. { voice: {...} }. */
  sendUserMessage(chat: number | (Partial<TgChat> & { id: number }), content: Record<string, unknown>, from?: Partial<TgUser>): TgUpdate {
    const chatInit = typeof chat === 'number' ? { id: chat } : chat;
    const isPrivate = (chatInit.type ?? (chatInit.id > 0 ? 'private' : 'group')) === 'private';
    const user: TgUser = {
      id: isPrivate ? chatInit.id : DEFAULT_GROUP_SENDER, is_bot: false, first_name: 'Test', language_code: 'zh-hans', ...from,
    };
    const state = this.chatState(isPrivate ? { first_name: user.first_name, ...chatInit } : chatInit);
    const message: TgMessage = { message_id: state.nextId++, from: user, chat: state.chat, date: nowSec(), ...content };
    state.messages.set(message.message_id, { message, fromBot: false, hasText: typeof message.text === 'string' });
    return this.pushUpdate({ message });
  }

  /** Text message from a user; '/command ...' gets a bot_command entity. */
  sendText(chat: number | (Partial<TgChat> & { id: number }), text: string, from?: Partial<TgUser>): TgUpdate {
    const content: Record<string, unknown> = { text };
    const cmd = /^\/\S+/.exec(text);
    if (cmd) content.entities = [{ offset: 0, length: cmd[0].length, type: 'bot_command' }];
    return this.sendUserMessage(chat, content, from);
  }

  /** Text message in a group chat (negative id; -100… ids are supergroups). */
  sendGroupText(group: number | (Partial<TgChat> & { id: number }), text: string, from?: Partial<TgUser>): TgUpdate {
    const g = typeof group === 'number' ? { id: group } : group;
    if (g.id >= 0) throw new Error('fake-bot-api: group chat ids are negative');
    return this.sendText({ type: g.id < -1_000_000_000_000 ? 'supergroup' : 'group', title: `Group ${g.id}`, ...g }, text, from);
  }

  sendPhoto(chat: number | (Partial<TgChat> & { id: number }), opts: { caption?: string; from?: Partial<TgUser> } = {}): TgUpdate {
    const sizes = [[90, 67], [320, 240], [800, 600]].map(([width, height]) => {
      const f = this.registerFile('photos', Buffer.alloc((width ?? 1) * 4, 1), 'jpg');
      return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, width, height };
    });
    return this.sendUserMessage(chat, { photo: sizes, ...(opts.caption !== undefined ? { caption: opts.caption } : {}) }, opts.from);
  }

  sendSticker(chat: number | (Partial<TgChat> & { id: number }), opts: { emoji?: string; from?: Partial<TgUser> } = {}): TgUpdate {
    const f = this.registerFile('stickers', Buffer.alloc(256, 2), 'webp');
    return this.sendUserMessage(chat, {
      sticker: {
        file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, type: 'regular', width: 512,
        height: 512, is_animated: false, is_video: false, emoji: opts.emoji ?? '👍',
      },
    }, opts.from);
  }

  /** Contact message; by default the user shares their own contact (user_id = sender). */
  sendContact(chat: number | (Partial<TgChat> & { id: number }), opts: { phone_number?: string; first_name?: string; own?: boolean; from?: Partial<TgUser> } = {}): TgUpdate {
    const chatId = typeof chat === 'number' ? chat : chat.id;
    const userId = opts.from?.id ?? chatId;
    return this.sendUserMessage(chat, {
      contact: {
        phone_number: opts.phone_number ?? '+8613800000000', first_name: opts.first_name ?? opts.from?.first_name ?? 'Test',
        ...(opts.own === false ? {} : { user_id: userId }),
      },
    }, opts.from);
  }

  sendLocation(chat: number | (Partial<TgChat> & { id: number }), latitude: number, longitude: number, from?: Partial<TgUser>): TgUpdate {
    return this.sendUserMessage(chat, { location: { latitude, longitude } }, from);
  }

  /** A callback_query update for a button press on an existing message. */
  pressButton(chatId: number, messageId: number, data: string, from?: Partial<TgUser>): TgUpdate {
    const state = this.chats.get(chatKey(chatId));
    const stored = state?.messages.get(messageId);
    if (!state || !stored) throw new Error(`fake-bot-api: pressButton: message ${messageId} not found in chat ${chatId}`);
    const id = String(7_000_000_000_000_000_000n + BigInt(++this.nextQueryId));
    this.queries.set(id, { createdAt: Date.now() });
    const user: TgUser = {
      id: state.chat.type === 'private' ? chatId : 1_000_001, is_bot: false, first_name: 'Test', language_code: 'zh-hans', ...from,
    };
    const callback_query: TgCallbackQuery = {
      id, from: user, message: structuredClone(stored.message), chat_instance: String(-4_000_000_000_000 - Math.abs(chatId)), data,
    };
    return this.pushUpdate({ callback_query });
  }

  /** pressButton using the callback_data of the inline button labelled `buttonText`. */
  pressButtonByText(chatId: number, messageId: number, buttonText: string, from?: Partial<TgUser>): TgUpdate {
    const markup = this.chats.get(chatKey(chatId))?.messages.get(messageId)?.message.reply_markup;
    const rows = (markup?.inline_keyboard ?? []) as { text: string; callback_data?: string }[][];
    const button = rows.flat().find((b) => b.text === buttonText);
    if (button?.callback_data === undefined) {
      throw new Error(`fake-bot-api: no callback button "${buttonText}" on message ${messageId} in chat ${chatId}; buttons: ${JSON.stringify(rows.flat().map((b) => b.text))}`);
    }
    return this.pressButton(chatId, messageId, button.callback_data, from);
  }

  /** Updates not yet confirmed by getUpdates offset (or not yet delivered to the webhook). */
  get pendingUpdates(): TgUpdate[] {
    return this.queue.map((q) => q.update);
  }

  // ------------------------------------------------------------------ faults

  blockChat(chatId: number | string): void {
    this.blocked.add(chatKey(chatId));
  }

  unblockChat(chatId: number | string): void {
    this.blocked.delete(chatKey(chatId));
  }

  rateLimit(opts: RateLimitOptions): { clear: () => void } {
    const entry = { ...opts };
    if (entry.times === undefined && entry.chatId === undefined) entry.times = 1;
    const rl = { ...entry, ...(entry.times === undefined ? { until: Date.now() + entry.retryAfter * 1000 } : {}) };
    this.rateLimits.push(rl);
    return { clear: () => { this.rateLimits = this.rateLimits.filter((r) => r !== rl); } };
  }

  /** Sliding-window limiter for send* methods: answers 429 and counts `violations`. Pass false to disable. */
  enforceLimits(opts: LimitsOptions | false = {}): void {
    this.limits = opts === false ? undefined : {
      perSecondGlobal: opts.perSecondGlobal ?? 30, perChatPerSecond: opts.perChatPerSecond ?? 1,
      perGroupPerMinute: opts.perGroupPerMinute ?? 20,
    };
  }

  /** Make the next `times` (default 1) matching requests hang or have their connection reset. */
  injectFault(opts: InjectFaultOptions): void {
    this.faults.push({ times: 1, ...opts });
  }

  /** Make the next `times` (default 1) calls of `method` (and/or to `chatId`) fail with this error. */
  injectError(opts: InjectErrorOptions): void {
    this.injected.push({ times: 1, ...opts });
  }

  // ------------------------------------------------------------------ inspection

  messagesTo(chatId: number | string): SentMessage[] {
    return this.sent.filter((m) => chatKey(m.chat_id) === chatKey(chatId));
  }

  lastMessageTo(chatId: number | string): SentMessage | undefined {
    return this.messagesTo(chatId).at(-1);
  }

  /** Current state of a message in the fake's store (after edits), if it exists. */
  getMessage(chatId: number | string, messageId: number): TgMessage | undefined {
    return this.chats.get(chatKey(chatId))?.messages.get(messageId)?.message;
  }

  /**
   * Resolves with the first sent message matching (already-sent ones first, then new ones).
   * A string/RegExp matches text, caption or plain_text.
   */
  waitFor(match: SentMatcher, timeoutMs = 5000): Promise<SentMessage> {
    const pred = typeof match === 'function' ? match : (m: SentMessage) =>
      [m.text, m.caption, m.plain_text].some((t) => t !== undefined && (typeof match === 'string' ? t.includes(match) : match.test(t)));
    return this.waitUntil(() => this.sent.find(pred), timeoutMs, () => `no sent message matched ${typeof match === 'function' ? 'the predicate' : String(match)}`);
  }

  /**
   * Resolves with the matching calls once there are at least n. Without a filter, getUpdates calls are
   * not counted (polling makes their number unpredictable); a string filter is a method name.
   */
  waitForCalls(n: number, filter?: string | ((c: CallRecord) => boolean), timeoutMs = 5000): Promise<CallRecord[]> {
    const pred = typeof filter === 'function' ? filter
      : filter === undefined ? (c: CallRecord) => c.method !== 'getUpdates'
        : (c: CallRecord) => c.method.toLowerCase() === filter.toLowerCase();
    return this.waitUntil(() => {
      const matching = this.calls.filter(pred);
      return matching.length >= n ? matching : undefined;
    }, timeoutMs, () => `expected ${n} calls${typeof filter === 'string' ? ` of ${filter}` : ''}, got ${this.calls.filter(pred).length}`);
  }

  /** Human-readable list of what was sent and of failed calls (used in timeout errors). */
  describe(): string {
    const sent = this.sent.map((m, i) =>
      `  #${i + 1} ${m.method} → chat ${m.chat_id} msg ${m.message_id}: ${JSON.stringify(m.text ?? m.caption ?? '')}${m.reply_markup ? ` markup=${JSON.stringify(m.reply_markup)}` : ''}`);
    const failed = this.calls.filter((c) => !c.ok).slice(-10).map((c) => `  ${c.method} → ${c.status} ${c.description ?? ''} ${JSON.stringify(c.params).slice(0, 200)}`);
    return `${this.sent.length} message(s) sent:\n${sent.join('\n') || '  (none)'}\nfailed calls (last 10):\n${failed.join('\n') || '  (none)'}`;
  }

  private waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: () => string): Promise<T> {
    const first = check();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const listener = (): void => {
        const found = check();
        if (found === undefined) return;
        cleanup();
        resolve(found);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake-bot-api: timed out after ${timeoutMs}ms: ${what()}\n${this.describe()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
      };
      this.listeners.add(listener);
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  // ------------------------------------------------------------------ HTTP

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const reply = (status: number, body: unknown): void => {
      if (res.destroyed || res.writableEnded) return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://fake');
      const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
      if (file) {
        const rec = [...this.files.values()].find((f) => f.file_path === decodeURIComponent(file[2] ?? ''));
        if (file[1] !== this.token || !rec) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': rec.data.length });
        res.end(rec.data);
        return;
      }
      const m = /^\/bot([^/]*)\/([^/]*)$/.exec(url.pathname);
      if (!m) return reply(404, { ok: false, error_code: 404, description: 'Not Found' });
      const body = await readBody(req);
      const methodName = m[2] ?? '';
      if (m[1] !== this.token) {
        this.record(methodName, {}, 401, 'Unauthorized', undefined, 'http');
        return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
      }
      let params: Params;
      try {
        params = parseParams(url, req.headers['content-type'], body);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        this.record(methodName, {}, e.code, e.description, undefined, 'http');
        return reply(e.code, { ok: false, error_code: e.code, description: e.description });
      }
      const abort = new AbortController();
      res.on('close', () => abort.abort());
      const fault = this.takeFault(methodName, params);
      if (fault?.kind === 'reset') {
        this.record(methodName, params, 0, 'connection reset (injected)', undefined, 'http');
        req.socket.destroy();
        return;
      }
      if (fault?.kind === 'hang') {
        this.record(methodName, params, 0, 'hanging (injected)', undefined, 'http');
        await new Promise<void>((resolve) => {
          const timer = fault.ms === undefined ? undefined : setTimeout(resolve, fault.ms);
          abort.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
        });
        // The client gave up: like Telegram after a dropped request, nothing was done.
        if (abort.signal.aborted) return;
      }
      const out = await this.dispatch(methodName, params, 'http', abort.signal);
      reply(out.status, out.body);
    } catch (e) {
      reply(500, { ok: false, error_code: 500, description: `Internal Server Error: ${(e as Error).message}` });
    }
  }

  private async dispatch(method: string, params: Params, via: CallRecord['via'], signal: AbortSignal): Promise<{ status: number; body: unknown }> {
    const entry = this.handlers.get(method.toLowerCase());
    const name = entry?.[0] ?? method;
    try {
      if (!entry) throw new ApiError(404, 'Not Found: method not found');
      this.checkInjected(name, params);
      const result = await entry[1](params, signal);
      this.record(name, params, 200, undefined, result, via);
      return { status: 200, body: { ok: true, result } };
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      this.record(name, params, e.code, e.description, undefined, via);
      const body = { ok: false, error_code: e.code, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) };
      return { status: e.code, body };
    }
  }

  private record(method: string, params: Params, status: number, description: string | undefined, result: unknown, via: CallRecord['via']): void {
    this.calls.push({ method, params, status, ok: status === 200, ...(description ? { description } : {}), ...(status === 200 ? { result } : {}), via, at: Date.now() });
    this.notify();
  }

  // ------------------------------------------------------------------ getUpdates / webhook

  private enqueue(update: TgUpdate, forced: boolean): void {
    this.queue.push({ update, forced, delivered: false });
    this.queue.sort((a, b) => a.update.update_id - b.update.update_id);
    if (this.webhook) void this.pumpWebhook();
    for (const w of [...this.waiters]) {
      const batch = this.take(w.limit);
      if (batch.length > 0) w.finish(batch);
    }
  }

  private isAllowed(u: TgUpdate, allowed: string[] | undefined): boolean {
    const type = Object.keys(u).find((k) => k !== 'update_id') ?? '';
    return allowed && allowed.length > 0 ? allowed.includes(type) : !NOT_DEFAULT_UPDATES.has(type);
  }

  private take(limit: number, allowed = this.allowedUpdates): TgUpdate[] {
    this.queue = this.queue.filter((q) => this.isAllowed(q.update, allowed)); // Telegram drops disallowed updates
    const batch = this.queue.slice(0, limit);
    for (const q of batch) q.delivered = true;
    return batch.map((q) => q.update);
  }

  private async getUpdates(p: Params, signal: AbortSignal): Promise<TgUpdate[]> {
    if (this.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    const offset = intParam(p, 'offset') ?? 0;
    const limit = Math.min(100, Math.max(1, intParam(p, 'limit') ?? 100));
    const timeout = Math.max(0, intParam(p, 'timeout') ?? 0);
    const allowed = jsonParam(p, 'allowed_updates', 'allowed_updates');
    if (allowed !== undefined && allowed !== null) {
      if (!Array.isArray(allowed)) throw badRequest('allowed_updates must be an Array');
      this.allowedUpdates = allowed.length > 0 ? allowed.map(String) : undefined;
    }
    if (offset > 0) {
      this.confirmedBelow = Math.max(this.confirmedBelow, offset);
      this.queue = this.queue.filter((q) => q.forced ? !(q.delivered && q.update.update_id < offset) : q.update.update_id >= this.confirmedBelow);
    } else if (offset < 0) {
      this.queue = this.queue.slice(offset);
    }
    if (this.waiters.size > 0) {
      await new Promise((r) => setImmediate(r)); // let aborted polls' 'close' events run first
      for (const w of [...this.waiters]) {
        w.finish(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
      }
    }
    const batch = this.take(limit);
    if (batch.length > 0 || timeout === 0 || this.closing.signal.aborted) return batch;
    const result = await new Promise<TgUpdate[] | ApiError>((resolve) => {
      const waiter: Waiter = {
        limit,
        finish: (r) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          signal.removeEventListener('abort', onAbort);
          resolve(r);
        },
      };
      const onAbort = (): void => waiter.finish([]);
      const timer = setTimeout(() => waiter.finish([]), timeout * 1000);
      signal.addEventListener('abort', onAbort);
      this.waiters.add(waiter);
    });
    if (result instanceof ApiError) throw result;
    return result;
  }

  private setWebhook(p: Params): true {
    const url = strParam(p, 'url') ?? '';
    if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.queue = [];
    if (url === '') {
      this.webhook = undefined;
      return true;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
      throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    }
    const secret = strParam(p, 'secret_token');
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest('bad webhook: Secret token contains unallowed characters');
    }
    const allowed = jsonParam(p, 'allowed_updates', 'allowed_updates');
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.length > 0 ? allowed.map(String) : undefined;
    this.webhook = { url, ...(secret ? { secret_token: secret } : {}), ...(Array.isArray(allowed) ? { allowed_updates: allowed.map(String) } : {}) };
    for (const w of [...this.waiters]) w.finish([]);
    void this.pumpWebhook();
    return true;
  }

  /** Delivers queued updates to the webhook one at a time; handles telegraf's "webhook reply" bodies. */
  private async pumpWebhook(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.webhook && !this.closing.signal.aborted) {
        const hook = this.webhook;
        const item = this.take(1)[0];
        if (!item) break;
        let ok = false;
        try {
          const res = await fetch(hook.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(hook.secret_token ? { 'x-telegram-bot-api-secret-token': hook.secret_token } : {}) },
            body: JSON.stringify(item),
            signal: this.closing.signal,
          });
          const text = await res.text();
          ok = res.status >= 200 && res.status < 300;
          if (!ok) hook.last_error_message = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
          else {
            this.queue = this.queue.filter((q) => q.update !== item);
            let body: Params | undefined;
            try {
              body = text ? (JSON.parse(text) as Params) : undefined;
            } catch {
              body = undefined; // non-JSON replies are ignored, like Telegram does
            }
            if (body && typeof body === 'object' && typeof body.method === 'string') {
              const { method, ...rest } = body;
              await this.dispatch(method, rest, 'webhook-reply', this.closing.signal);
            }
          }
        } catch (e) {
          if (this.closing.signal.aborted) break;
          hook.last_error_message = `Connection failed: ${(e as Error).message}`;
        }
        if (!ok) await sleep(this.options.webhookRetryMs ?? 200, undefined, { signal: this.closing.signal }).catch(() => undefined);
      }
    } finally {
      this.pumping = false;
    }
  }

  // ------------------------------------------------------------------ chats, gate, files

  private chatState(init: Partial<TgChat> & { id: number }): ChatState {
    const key = chatKey(init.id);
    let state = this.chats.get(key);
    if (!state) {
      const type = init.type ?? (init.id > 0 ? 'private' : init.id < -1_000_000_000_000 ? 'supergroup' : 'group');
      const chat: TgChat = type === 'private' ? { id: init.id, type, first_name: 'Test' } : { id: init.id, type, title: `Chat ${init.id}` };
      state = { chat: { ...chat, ...init, type }, nextId: 1, messages: new Map() };
      this.chats.set(key, state);
    }
    return state;
  }

  /** Who administers a group (getChatMember answers 'administrator' for them, 'member' for others). */
  setChatAdmins(chatId: number, userIds: number[]): void {
    this.admins.set(chatKey(chatId), new Set(userIds));
  }

  private getChatMember(p: Params): unknown {
    const state = this.target(p);
    const userId = intParam(p, 'user_id');
    if (userId === undefined) throw badRequest('user_id is empty');
    const user = { id: userId, is_bot: false, first_name: 'Test' };
    if (state.chat.type === 'private') {
      if (userId !== state.chat.id) throw badRequest('user not found');
      return { status: 'member', user };
    }
    const admins = this.admins.get(chatKey(state.chat.id));
    if (!admins) return { status: userId === DEFAULT_GROUP_SENDER ? 'creator' : 'member', user, ...(userId === DEFAULT_GROUP_SENDER ? { is_anonymous: false } : {}) };
    return admins.has(userId)
      ? { status: 'administrator', user, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: true, can_manage_video_chats: true, can_restrict_members: true, can_promote_members: false, can_change_info: true, can_invite_users: true, can_post_stories: false, can_edit_stories: false, can_delete_stories: false }
      : { status: 'member', user };
  }

  /** Resolves chat_id like Telegram: required, integer or @username. */
  private target(p: Params): ChatState {
    const raw = p.chat_id;
    if (raw === undefined || raw === null || raw === '') throw badRequest('chat_id is empty');
    if (typeof raw === 'string' && raw.startsWith('@')) {
      const found = [...this.chats.values()].find((c) => c.chat.username?.toLowerCase() === raw.slice(1).toLowerCase());
      if (found) return found;
      if (this.options.requireKnownChats) throw badRequest('chat not found');
      return this.chatState({ id: -1_001_000_000_000 - this.chats.size, type: 'channel', username: raw.slice(1), title: raw.slice(1) });
    }
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id) || id === 0) throw badRequest('chat not found');
    if (this.options.requireKnownChats && !this.chats.has(chatKey(id))) throw badRequest('chat not found');
    return this.chatState({ id });
  }

  private takeFault(method: string, p: Params): InjectFaultOptions | undefined {
    const idx = this.faults.findIndex((f) =>
      (f.method === undefined || f.method.toLowerCase() === method.toLowerCase()) &&
      (f.chatId === undefined || chatKey(String(p.chat_id)) === chatKey(f.chatId)));
    const fault = this.faults[idx];
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(idx, 1);
    return fault;
  }

  private checkInjected(method: string, p: Params): void {
    const idx = this.injected.findIndex((e) =>
      (e.method === undefined || e.method.toLowerCase() === method.toLowerCase()) &&
      (e.chatId === undefined || chatKey(String(p.chat_id)) === chatKey(e.chatId)));
    const inj = this.injected[idx];
    if (!inj) return;
    inj.times = (inj.times ?? 1) - 1;
    if (inj.times <= 0) this.injected.splice(idx, 1);
    throw new ApiError(inj.errorCode, inj.description, inj.parameters);
  }

  /** Applied to every chat-targeted call after parameter validation: 429s, then 403 for blocked chats. */
  private gate(method: string, state: ChatState): void {
    const key = chatKey(state.chat.id);
    const now = Date.now();
    const tooMany = (retry: number): ApiError =>
      new ApiError(429, `Too Many Requests: retry after ${retry}`, { retry_after: retry });
    this.rateLimits = this.rateLimits.filter((r) => (r.until === undefined ? (r.times ?? 0) > 0 : r.until > now));
    const rl = this.rateLimits.find((r) => r.chatId === undefined || chatKey(r.chatId) === key);
    if (rl) {
      if (rl.until !== undefined) throw tooMany(Math.max(1, Math.ceil((rl.until - now) / 1000)));
      rl.times = (rl.times ?? 1) - 1;
      throw tooMany(rl.retryAfter);
    }
    const counted = method.startsWith('send') && method !== 'sendChatAction';
    if (this.limits && counted) {
      while (this.sendTimes.length > 0 && (this.sendTimes[0]?.at ?? now) <= now - 60_000) this.sendTimes.shift();
      const within = (ms: number, chat?: string): { at: number }[] =>
        this.sendTimes.filter((s) => s.at > now - ms && (chat === undefined || s.chat === chat));
      const checks: [{ at: number }[], number, number][] = [
        [within(1000), this.limits.perSecondGlobal, 1000],
        [within(1000, key), this.limits.perChatPerSecond, 1000],
      ];
      if (state.chat.type !== 'private') checks.push([within(60_000, key), this.limits.perGroupPerMinute, 60_000]);
      for (const [hits, max, ms] of checks) {
        if (hits.length >= max) {
          this.violations++;
          throw tooMany(Math.max(1, Math.ceil(((hits[0]?.at ?? now) + ms - now) / 1000)));
        }
      }
    }
    if (this.blocked.has(key)) {
      throw new ApiError(403, state.chat.type === 'private' ? 'Forbidden: bot was blocked by the user'
        : state.chat.type === 'channel' ? 'Forbidden: bot is not a member of the channel chat' : 'Forbidden: bot was kicked from the group chat');
    }
    if (counted) this.sendTimes.push({ at: now, chat: key });
  }

  private registerFile(dir: string, data: Buffer, ext: string): FileRecord {
    const n = this.files.size + 1;
    const rec: FileRecord = {
      file_id: randomId('AgACAgUAAxkBAAI', 36), file_unique_id: randomId('AQAD', 9), file_size: data.length,
      file_path: `${dir}/file_${n}.${ext}`, data,
    };
    this.files.set(rec.file_id, rec);
    return rec;
  }

  // ------------------------------------------------------------------ sending

  private formatted(p: Params, field: 'text' | 'caption'): { raw: string; text: string; entities: TgEntity[] } | undefined {
    const raw = strParam(p, field);
    if (raw === undefined && field === 'caption') return undefined;
    const parseMode = strParam(p, 'parse_mode');
    let parsed;
    try {
      parsed = parseFormattedText(raw ?? '', parseMode);
    } catch (e) {
      if (e instanceof EntityParseError) throw badRequest(e.message);
      throw e;
    }
    const explicit = jsonParam(p, field === 'text' ? 'entities' : 'caption_entities', 'entities');
    const entities = !parseMode && Array.isArray(explicit) ? (explicit as TgEntity[]) : parsed.entities;
    const len = codePointLength(parsed.text);
    if (field === 'text' && len === 0) throw badRequest('message text is empty');
    if (field === 'text' && len > 4096) throw badRequest('message is too long');
    if (field === 'caption' && len > 1024) throw badRequest('message caption is too long');
    return { raw: raw ?? '', text: parsed.text, entities };
  }

  private replyTarget(state: ChatState, p: Params): TgMessage | undefined {
    const params = jsonParam(p, 'reply_parameters', 'reply parameters') as { message_id?: number; allow_sending_without_reply?: boolean } | undefined;
    const id = params?.message_id ?? intParam(p, 'reply_to_message_id');
    if (id === undefined) return undefined;
    const found = state.messages.get(id)?.message;
    const allow = params?.allow_sending_without_reply ?? (p.allow_sending_without_reply === true || p.allow_sending_without_reply === 'true');
    if (!found && !allow) throw badRequest('message to be replied not found');
    if (!found) return undefined;
    const { reply_to_message: _omit, ...rest } = found;
    return rest as TgMessage;
  }

  private deliver(method: string, state: ChatState, p: Params, content: Record<string, unknown>, extra: Partial<SentMessage>, hasText: boolean): TgMessage {
    const markup = validateReplyMarkup(p);
    const replyTo = this.replyTarget(state, p);
    this.gate(method, state);
    const message: TgMessage = {
      message_id: state.nextId++, from: this.botUser, chat: state.chat, date: nowSec(),
      ...(replyTo ? { reply_to_message: replyTo } : {}),
      ...content,
      ...(markup && 'inline_keyboard' in markup ? { reply_markup: markup } : {}),
    };
    state.messages.set(message.message_id, { message, fromBot: true, hasText });
    this.pushSent(method, state, p, message, { ...extra, ...(markup ? { reply_markup: markup } : {}) });
    return message;
  }

  private pushSent(method: string, state: ChatState, p: Params, message: TgMessage, extra: Partial<SentMessage>): void {
    const parseMode = strParam(p, 'parse_mode');
    this.sent.push({
      method, chat_id: state.chat.id, message_id: message.message_id, ...(parseMode ? { parse_mode: parseMode } : {}), ...extra,
      params: p, message: structuredClone(message), at: Date.now(),
    });
    this.notify();
  }

  private sendMessage(p: Params): TgMessage {
    const state = this.target(p);
    const t = this.formatted(p, 'text');
    if (!t) throw badRequest('message text is empty');
    return this.deliver('sendMessage', state, p, { text: t.text, ...(t.entities.length ? { entities: t.entities } : {}) },
      { text: t.raw, plain_text: t.text, ...(t.entities.length ? { entities: t.entities } : {}) }, true);
  }

  private sendMedia(method: string, p: Params): TgMessage {
    const field = MEDIA_FIELDS[method] ?? 'document';
    const state = this.target(p);
    const value = p[field];
    let file: FileRecord;
    let fileName: string | undefined;
    if (isUploadedFile(value)) {
      if (value.data.length === 0) throw badRequest('file must be non-empty');
      fileName = value.filename;
      file = this.registerFile(`${field}s`, value.data, value.filename.split('.').pop() ?? 'dat');
    } else if (typeof value === 'string' && value !== '') {
      if (/^https?:\/\//i.test(value)) file = this.registerFile(`${field}s`, Buffer.from(value), 'dat');
      else if (!/^[A-Za-z0-9_-]+$/.test(value)) throw badRequest('wrong file identifier/HTTP URL specified');
      else file = this.files.get(value) ?? { file_id: value, file_unique_id: randomId('AQAD', 9), file_size: 1024, file_path: `${field}s/${value}`, data: Buffer.alloc(1024) };
    } else throw badRequest(`there is no ${field} in the request`);
    const cap = field === 'sticker' ? undefined : this.formatted(p, 'caption');
    const ids = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
    const media = field === 'photo'
      ? [{ ...ids, width: 320, height: 240 }]
      : { ...ids, ...(field === 'document' ? { file_name: fileName ?? 'file', mime_type: 'application/octet-stream' } : {}) };
    const content = {
      [field]: media,
      ...(cap && cap.text ? { caption: cap.text, ...(cap.entities.length ? { caption_entities: cap.entities } : {}) } : {}),
    };
    return this.deliver(method, state, p, content, cap ? { caption: cap.raw, plain_text: cap.text } : {}, false);
  }

  private apiSendLocation(p: Params): TgMessage {
    const state = this.target(p);
    const num = (name: string, max: number): number => {
      const v = Number(p[name]);
      if (p[name] === undefined || p[name] === '' || !Number.isFinite(v)) throw badRequest(`${name} is empty`);
      if (Math.abs(v) > max) throw badRequest(`wrong ${name}`);
      return v;
    };
    const location = { latitude: num('latitude', 90), longitude: num('longitude', 180) };
    return this.deliver('sendLocation', state, p, { location }, {}, false);
  }

  private editMessage(p: Params, method: 'editMessageText' | 'editMessageCaption' | 'editMessageReplyMarkup'): TgMessage | true {
    const t = method === 'editMessageText' ? this.formatted(p, 'text') : method === 'editMessageCaption' ? this.formatted(p, 'caption') : undefined;
    const markup = validateReplyMarkup(p, true);
    if (p.inline_message_id !== undefined && p.chat_id === undefined) return true;
    const state = this.target(p);
    const id = intParam(p, 'message_id');
    if (id === undefined) throw badRequest('message identifier is not specified');
    this.gate(method, state);
    const stored = state.messages.get(id);
    if (!stored) throw badRequest('message to edit not found');
    if (!stored.fromBot) throw badRequest("message can't be edited");
    if (method === 'editMessageText' && !stored.hasText) throw badRequest('there is no text in the message to edit');
    if (method === 'editMessageCaption' && stored.hasText) throw badRequest('there is no caption in the message to edit');
    const old = stored.message;
    const next: TgMessage = { ...old };
    delete next.reply_markup;
    if (markup) next.reply_markup = markup;
    if (method === 'editMessageText' && t) {
      next.text = t.text;
      delete next.entities;
      if (t.entities.length) next.entities = t.entities;
    } else if (method === 'editMessageCaption') {
      delete next.caption;
      delete next.caption_entities;
      if (t?.text) next.caption = t.text;
      if (t?.entities.length) next.caption_entities = t.entities;
    }
    const view = (m: TgMessage): string => canonicalJson([m.text, m.entities, m.caption, m.caption_entities, m.reply_markup]);
    if (view(next) === view(old)) {
      throw badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    next.edit_date = nowSec();
    stored.message = next;
    this.pushSent(method, state, p, next, {
      ...(t && method === 'editMessageText' ? { text: t.raw, plain_text: t.text } : {}),
      ...(t && method === 'editMessageCaption' ? { caption: t.raw, plain_text: t.text } : {}),
      ...(t?.entities.length ? { entities: t.entities } : {}),
      ...(markup ? { reply_markup: markup } : {}),
    });
    return next;
  }

  private deleteMessage(p: Params): true {
    const state = this.target(p);
    const id = intParam(p, 'message_id');
    if (id === undefined) throw badRequest('message identifier is not specified');
    this.gate('deleteMessage', state);
    if (!state.messages.delete(id)) throw badRequest('message to delete not found');
    this.deleted.push({ chat_id: state.chat.id, message_id: id, at: Date.now() });
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const id = strParam(p, 'callback_query_id') ?? '';
    const q = this.queries.get(id);
    const ttl = this.options.callbackQueryTtlMs;
    if (!q || (ttl !== undefined && Date.now() - q.createdAt > ttl)) {
      throw badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const text = strParam(p, 'text');
    if (text !== undefined && codePointLength(text) > 200) throw badRequest('MESSAGE_TOO_LONG');
    this.queries.delete(id);
    const url = strParam(p, 'url');
    this.callbackAnswers.push({
      callback_query_id: id, ...(text !== undefined ? { text } : {}), show_alert: p.show_alert === true || p.show_alert === 'true',
      ...(url !== undefined ? { url } : {}), at: Date.now(),
    });
    return true;
  }

  private commandsKey(p: Params): string {
    return canonicalJson([jsonParam(p, 'scope', 'scope') ?? { type: 'default' }, strParam(p, 'language_code') ?? '']);
  }

  private setMyCommands(p: Params): true {
    const commands = jsonParam(p, 'commands', 'commands');
    if (!Array.isArray(commands)) throw badRequest('parameter "commands" must be an Array');
    if (commands.length > 100) throw badRequest('too many commands specified');
    for (const c of commands as { command?: unknown; description?: unknown }[]) {
      const cmd = typeof c?.command === 'string' ? c.command : '';
      if (!/^[a-z0-9_]{1,32}$/.test(cmd)) throw badRequest('BOT_COMMAND_INVALID');
      const desc = typeof c.description === 'string' ? c.description.trim() : '';
      if (desc.length === 0 || codePointLength(desc) > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
    }
    this.commands.set(this.commandsKey(p), commands);
    return true;
  }
}

/** Start a fake Bot API on 127.0.0.1 (random port). Remember to `await fake.close()`. */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  return new FakeBotApi(options).listen();
}
