import type { Telegram } from 'telegraf';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../core/metrics.ts';
import { currentSendScope, isPersonWaiting, type SendPriority } from '../core/send/send-context.ts';
import type { Undelivered } from '../core/storage/undelivered-store.ts';
import { UndeliveredError } from '../core/send/undelivered-error.ts';
import { classifySendError } from './broadcast/send-errors.ts';
import { createMemoryLimiter, sleep, type SendLimiter } from './send-limiter.ts';

/**
 * The one send path (ARCHITECTURE promise 10): every Bot API call the process makes — replies,
 * notices, staff cards, broadcasts — passes through `telegram.callApi`, which this wraps once in the
 * entry point. It
 * - paces sends through the shared limiter (per chat, per group, overall), people before bulk;
 * - bounds every request in time (telegraf's own default is 500 s);
 * - waits out a 429 for that chat and retries; retries 5xx and network errors with backoff until the
 *   priority's deadline; never retries a 400 (logged with the method and reason) or a 403;
 * - records what it finally could not deliver, for staff, and throws UndeliveredError.
 * The broadcast fan-out paces and retries itself (at most once per delivery); its sends are
 * `selfPaced` and only get the timeout here.
 */
export interface SendPathOptions {
  readonly limiter: SendLimiter;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  readonly record?: (u: Undelivered) => Promise<void>;
  /** Per request; getUpdates gets its long-poll timeout plus this. Default 10 s. */
  readonly requestTimeoutMs?: number;
  /** How long a message may keep being retried, by priority. */
  readonly deadlinesMs?: Partial<Record<SendPriority, number>>;
  /** The rate for the process-local limiter used when the shared one (Redis) does not answer. */
  readonly fallbackPerSecond?: number;
}

/** The request gave no answer in time: like a reset connection, it may or may not have gone out. */
class RequestTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(method: string, ms: number) {
    super(`Telegram ${method} gave no answer within ${ms} ms`);
    // telegraf's polling retries a FetchError (and would stop on an AbortError).
    this.name = 'FetchError';
  }
}

const DEADLINES: Record<SendPriority, number> = { emergency: 30_000, reply: 30_000, notice: 120_000, bulk: 0 };
/** Counted by Telegram's message limits (chat actions are not). */
const isPacedMethod = (m: string): boolean => (m.startsWith('send') && m !== 'sendChatAction') || m === 'copyMessage' || m === 'forwardMessage';

const JUMPS_PER_SECOND = 2;

type CallApi = (method: string, payload: Record<string, unknown>, options?: { signal?: AbortSignal }) => Promise<unknown>;

export function installSendPath(telegram: Telegram, options: SendPathOptions): void {
  const target = telegram as unknown as { callApi: CallApi };
  const call = target.callApi.bind(telegram);
  const timeoutMs = options.requestTimeoutMs ?? 10_000;
  const deadlines = { ...DEADLINES, ...options.deadlinesMs };
  const local = createMemoryLimiter({ perSecond: options.fallbackPerSecond ?? 25 });
  const log = options.logger;
  /** Emergencies may jump the overall queue, at most JUMPS_PER_SECOND of them (Telegram's headroom). */
  let jumps: number[] = [];
  const takeJump = (): boolean => {
    const now = Date.now();
    jumps = jumps.filter((t) => t > now - 1000);
    if (jumps.length >= JUMPS_PER_SECOND) return false;
    jumps.push(now);
    return true;
  };
  /** While the shared limiter is failing, people are paced locally; it is tried again after a while. */
  let limiterDownUntil = 0;

  const timed = async (method: string, payload: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> => {
    const ms = method === 'getUpdates' ? Number(payload.timeout ?? 0) * 1000 + timeoutMs : timeoutMs;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, ms);
    try {
      return await call(method, payload, { signal: controller.signal });
    } catch (err) {
      if (timedOut) throw new RequestTimeoutError(method, ms);
      throw err;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };

  /**
   * Takes a slot. Waiting for a slot is normal (the per-chat pace, a 429 pause); a shared limiter that
   * fails (Redis down: the update path's client gives up within a second) is replaced by pacing in
   * this process, tried again after a while, so a person's message never waits on an outage.
   */
  const acquire = async (chatId: number, priority: SendPriority, signal?: AbortSignal): Promise<void> => {
    const person = isPersonWaiting(priority);
    const shared = async (): Promise<void> => {
      // A waiting person holds the urgent lease, so ordinary fan-outs yield until they are served.
      const release = person ? await options.limiter.holdUrgent() : undefined;
      try {
        await options.limiter.acquire(chatId, { urgent: person, signal, jump: priority === 'emergency' && takeJump() });
      } finally {
        await release?.();
      }
    };
    try {
      if (person && Date.now() < limiterDownUntil) throw new Error('shared limiter down');
      await shared();
    } catch (err) {
      if (signal?.aborted) throw err;
      if (Date.now() >= limiterDownUntil) log.warn({ err: (err as Error).message }, 'send limiter unavailable; pacing in this process only');
      limiterDownUntil = Date.now() + 10_000;
      await local.acquire(chatId, { urgent: true, signal });
    }
  };

  target.callApi = async (method, payload, callOptions = {}) => {
    const scope = currentSendScope();
    const priority: SendPriority = scope?.priority ?? 'notice';
    const chatId = Number(payload.chat_id);
    const hasChat = Number.isFinite(chatId) && chatId !== 0;
    // getUpdates, getMe, setWebhook…: telegraf and the entry point retry these their own way.
    if (scope?.selfPaced || !hasChat) return timed(method, payload, callOptions.signal);
    const deadline = Date.now() + deadlines[priority];
    for (let attempt = 1; ; attempt++) {
      if (isPacedMethod(method)) await acquire(chatId, priority, callOptions.signal);
      try {
        return await timed(method, payload, callOptions.signal);
      } catch (err) {
        if (callOptions.signal?.aborted) throw err;
        const f = classifySendError(err);
        if (f.kind === 'blocked' || f.kind === 'moved') throw err;
        if (f.kind === 'rejected') {
          log.warn({ method, chat: chatId, reason: f.reason }, 'Telegram refused the request (not retried)');
          await giveUp(method, chatId, priority, f.reason, scope?.updateId);
          throw err;
        }
        const wait = f.kind === 'rate-limited' ? f.retryAfterMs : Math.min(8000, 500 * 2 ** (attempt - 1));
        if (f.kind === 'rate-limited') await options.limiter.pauseChat(chatId, wait).catch(() => local.pauseChat(chatId, wait));
        options.metrics?.inc('telegram_send_retries_total', { method, kind: f.kind });
        if (Date.now() + wait > deadline) {
          await giveUp(method, chatId, priority, f.kind === 'rate-limited' ? `429 retry_after ${wait} ms past the deadline` : f.reason, scope?.updateId);
          throw new UndeliveredError(method, chatId, f.kind === 'rate-limited' ? 'rate limited' : f.reason, { cause: err });
        }
        log.info({ method, chat: chatId, attempt, waitMs: wait, kind: f.kind }, 'send failed; retrying');
        await sleep(wait, callOptions.signal);
      }
    }
  };

  async function giveUp(method: string, chatId: number, priority: SendPriority, reason: string, updateId?: number): Promise<void> {
    options.metrics?.inc('telegram_undelivered_total', { method, priority });
    log.error({ method, chat: chatId, priority, update_id: updateId, reason }, 'message not delivered');
    await options.record?.({ chatId, method, priority, reason, ...(updateId === undefined ? {} : { updateId }) })
      .catch((err: Error) => log.error({ err: err.message }, 'could not record an undelivered message'));
  }
}
