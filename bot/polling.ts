import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../core/logger.ts';
import type { BotContext } from './context.ts';

export interface Poller {
  /** Stops asking for updates, waits (bounded) for the running ones, then confirms the offset. */
  stop(): Promise<void>;
  /** Rejects when polling cannot go on (another poller with this token, a revoked token). */
  readonly done: Promise<void>;
}

export interface PollingOptions {
  readonly allowedUpdates: readonly string[];
  readonly logger: Logger;
  /** Long-poll seconds (Telegram allows up to 50). */
  readonly timeoutSeconds?: number;
  /** Updates handled at once, over all chats. */
  readonly maxInFlight?: number;
}

/**
 * Long polling that never lets one chat hold up another. telegraf's own loop handles a whole batch
 * and only then asks for the next one, so a single slow reply delayed every chat's answer. Here:
 * - updates run concurrently across chats and one at a time within a chat (in the order sent);
 * - the offset only moves past updates that are done: after a crash Telegram hands the unfinished
 *   ones out again (the de-duplication marks make finished ones harmless);
 * - a 409 (another process polls with this token) ends polling with a clear message.
 */
export function startPolling(bot: Telegraf<BotContext>, options: PollingOptions): Poller {
  const log = options.logger;
  const controller = new AbortController();
  const inFlight = new Map<number, Promise<void>>();
  /** Finished ids the offset has not passed yet (a lower one is still running). */
  const finished = new Set<number>();
  const chains = new Map<string, Promise<void>>();
  const maxInFlight = options.maxInFlight ?? 500;
  let nextOffset = 0;
  let maxSeen = -1;

  const offset = (): number => (inFlight.size ? Math.min(...inFlight.keys()) : Math.max(nextOffset, maxSeen + 1));

  const schedule = (u: Update): void => {
    const key = chatKey(u);
    const run = (chains.get(key) ?? Promise.resolve())
      .then(() => bot.handleUpdate(u))
      .catch((err: Error) => log.error({ err, update_id: u.update_id }, 'update failed outside the handler'))
      .finally(() => {
        inFlight.delete(u.update_id);
        finished.add(u.update_id);
        if (chains.get(key) === run) chains.delete(key);
      });
    chains.set(key, run);
    inFlight.set(u.update_id, run);
  };

  const loop = async (): Promise<void> => {
    bot.botInfo ??= await bot.telegram.getMe();
    await bot.telegram.deleteWebhook();
    while (!controller.signal.aborted) {
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight.values());
      let updates: Update[];
      try {
        nextOffset = offset();
        for (const id of finished) if (id < nextOffset) finished.delete(id);
        updates = await bot.telegram.callApi('getUpdates', {
          offset: nextOffset, timeout: options.timeoutSeconds ?? 50, allowed_updates: options.allowedUpdates as never,
        }, { signal: controller.signal as never });
      } catch (err) {
        if (controller.signal.aborted) break;
        const code = (err as { response?: { error_code?: number } }).response?.error_code;
        if (code === 409) throw new Error('Another process is already polling Telegram with this BOT_TOKEN. Long polling runs in one process only: stop the other one, or use webhook mode (WEBHOOK_URL) for several bot processes.');
        if (code === 401) throw new Error('Telegram refused BOT_TOKEN (401 Unauthorized): check the token from @BotFather.');
        log.warn({ err: (err as Error).message }, 'getUpdates failed; retrying');
        await pause(2000, controller.signal);
        continue;
      }
      let fresh = 0;
      for (const u of updates) {
        if (inFlight.has(u.update_id) || finished.has(u.update_id) || u.update_id < nextOffset) continue;
        maxSeen = Math.max(maxSeen, u.update_id);
        fresh++;
        schedule(u);
      }
      // Only still-running updates came back (the offset waits for them): do not spin on them.
      if (fresh === 0 && updates.length > 0) await pause(200, controller.signal);
    }
  };

  const done = loop();
  done.catch(() => undefined);
  return {
    done,
    async stop() {
      controller.abort();
      await done.catch(() => undefined);
      await Promise.race([Promise.allSettled(inFlight.values()), pause(5000)]);
      // Confirms what was handled, so a restart does not get it again.
      await bot.telegram.callApi('getUpdates', { offset: offset(), limit: 1, timeout: 0 }).catch(() => undefined);
    },
  };
}

function chatKey(u: Update): string {
  const any = u as { message?: { chat?: { id?: number } }; callback_query?: { message?: { chat?: { id?: number } }; from?: { id?: number } } };
  const id = any.message?.chat?.id ?? any.callback_query?.message?.chat?.id ?? any.callback_query?.from?.id;
  return id === undefined ? `u${u.update_id}` : String(id);
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
}
