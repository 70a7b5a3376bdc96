/**
 * Paces bulk sends below Telegram's limits: about 30 messages/s overall, 1/s to one chat, 20/min to
 * one group. Sends are spaced evenly on a grid; a sender that fell behind may catch up only a few
 * slots (see catchUpSlots), so no one-second window gets near Telegram's limit. Urgent fan-outs go
 * first: while one holds the urgent lease, ordinary senders wait. A 429 pauses everyone until
 * retry_after has passed.
 */
export interface SendLimiter {
  /** Resolves when one message to `chatId` may be sent now (the slot is taken). */
  acquire(chatId: number, options?: { urgent?: boolean; signal?: AbortSignal; jump?: boolean }): Promise<void>;
  /** Telegram answered 429: nobody sends for `ms`. */
  pause(ms: number): Promise<void>;
  /** Telegram answered 429 to a send into one chat: that chat waits `ms`, the others go on. */
  pauseChat(chatId: number, ms: number): Promise<void>;
  /** Marks an urgent fan-out as running until the returned release is called. */
  holdUrgent(): Promise<() => Promise<void>>;
}

export interface SendLimits {
  /** Messages per second overall (config BROADCAST_RATE). */
  readonly perSecond: number;
  /** Minimum gap between two messages to one chat; a little over Telegram's 1 s. */
  readonly perChatGapMs?: number;
  readonly perGroupPerMinute?: number;
}

/**
 * Waits on the global setTimeout (which test fake timers control), rejecting with an AbortError when
 * the worker shuts down.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Telegram answers 429 from about 30 messages a second; every window stays below this. */
export const TELEGRAM_PER_SECOND = 30;

/**
 * Slots a sender that fell behind (a stalled process, a slow response) may catch up. Slots are spaced
 * on a grid, so late timers do not slow a fan-out down; the credit is what lets the grid catch up.
 * With rate r and credit k a one-second window holds at most r + k sends, kept at least two below
 * Telegram's limit for arrival jitter (k = 3 at the default 25/s, none from 28/s up).
 */
export function catchUpSlots(perSecond: number): number {
  return Math.max(0, Math.min(3, TELEGRAM_PER_SECOND - 2 - Math.ceil(perSecond)));
}

export const PER_CHAT_GAP_MS = 1100;
export const PER_GROUP_PER_MINUTE = 20;
/** Group, supergroup and channel ids are negative; private chats positive. */
export const isGroupChat = (chatId: number): boolean => chatId < 0;

/** The decision both limiters make: how long to wait before a send may start (0 = now). */
export interface LimiterState {
  nextSlot: number;
  pauseUntil: number;
  readonly chatReady: Map<number, number>;
  readonly groupSends: Map<number, number[]>;
}

/**
 * `jump`: an emergency reply goes ahead of the queue for the overall rate (it still pushes the grid on
 * by one slot, and waits for its chat, its group and a 429 like any other send). The send path allows
 * only a couple of jumps a second, inside the headroom between BROADCAST_RATE and Telegram's limit.
 */
export function decide(state: LimiterState, limits: Required<SendLimits>, chatId: number, now: number, jump = false): number {
  let slot = Math.max(now, jump ? 0 : state.nextSlot, state.pauseUntil, state.chatReady.get(chatId) ?? 0);
  const sends = isGroupChat(chatId) ? (state.groupSends.get(chatId) ?? []).filter((t) => t > now - 60_000) : undefined;
  if (sends && sends.length >= limits.perGroupPerMinute) slot = Math.max(slot, (sends[0] ?? now) + 60_000);
  if (slot > now) return slot - now;
  const interval = 1000 / limits.perSecond;
  state.nextSlot = Math.max(state.nextSlot, now - catchUpSlots(limits.perSecond) * interval) + interval;
  state.chatReady.set(chatId, now + limits.perChatGapMs);
  if (sends) state.groupSends.set(chatId, [...sends, now]);
  return 0;
}

export const fullLimits = (l: SendLimits): Required<SendLimits> => ({
  perSecond: l.perSecond, perChatGapMs: l.perChatGapMs ?? PER_CHAT_GAP_MS, perGroupPerMinute: l.perGroupPerMinute ?? PER_GROUP_PER_MINUTE,
});

/** The limiter for one process (embedded default, or one worker process on Redis). */
export function createMemoryLimiter(limits: SendLimits, now: () => number = Date.now): SendLimiter {
  const l = fullLimits(limits);
  const state: LimiterState = { nextSlot: 0, pauseUntil: 0, chatReady: new Map(), groupSends: new Map() };
  let urgentHolds = 0;
  let urgentDone: { promise: Promise<void>; resolve: () => void } | undefined;
  let sinceSweep = 0;

  const sweep = (t: number): void => {
    if (++sinceSweep < 1000) return;
    sinceSweep = 0;
    for (const [chat, ready] of state.chatReady) if (ready < t) state.chatReady.delete(chat);
    for (const [chat, sends] of state.groupSends) if ((sends.at(-1) ?? 0) < t - 60_000) state.groupSends.delete(chat);
  };

  return {
    async acquire(chatId, options = {}) {
      for (;;) {
        options.signal?.throwIfAborted();
        if (!options.urgent && urgentHolds > 0 && urgentDone) {
          await urgentDone.promise;
          continue;
        }
        const t = now();
        const wait = decide(state, l, chatId, t, options.jump);
        if (wait === 0) return sweep(t);
        await sleep(wait, options.signal);
      }
    },
    async pause(ms) {
      state.pauseUntil = Math.max(state.pauseUntil, now() + ms);
    },
    async pauseChat(chatId, ms) {
      state.chatReady.set(chatId, Math.max(state.chatReady.get(chatId) ?? 0, now() + ms));
    },
    async holdUrgent() {
      urgentHolds++;
      if (!urgentDone) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        urgentDone = { promise, resolve };
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        if (--urgentHolds === 0 && urgentDone) {
          urgentDone.resolve();
          urgentDone = undefined;
        }
      };
    },
  };
}
