import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../core/logger.ts';
import type { UpdateInbox } from '../core/storage/update-inbox.ts';
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
  /** Where updates wait until handled, so the offset can be confirmed at once (see below). */
  readonly inbox: UpdateInbox;
  /** Long-poll seconds (Telegram allows up to 50). */
  readonly timeoutSeconds?: number;
  /** Updates handled at once, over all chats. */
  readonly maxInFlight?: number;
}

/**
 * Long polling that never lets one chat hold up another. telegraf's own loop handles a whole batch
 * and only then asks for the next one, so a single slow reply delayed every chat's answer. Here:
 * - updates run concurrently across chats and one at a time within a chat (in the order sent);
 * - each batch is stored in the inbox before its offset is confirmed, so a crash loses nothing: the
 *   next start replays what was left (the de-duplication marks make finished ones harmless);
 * - a 409 (another process polls with this token) ends polling with a clear message.
 */
export function startPolling(bot: Telegraf<BotContext>, options: PollingOptions): Poller {
  const log = options.logger;
  const { inbox } = options;
  const controller = new AbortController();
  const inFlight = new Map<number, Promise<void>>();
  const chains = new Map<string, Promise<void>>();
  const maxInFlight = options.maxInFlight ?? 500;
  let offset = 0;

  const schedule = (u: Update): void => {
    if (inFlight.has(u.update_id)) return;
    const key = chatKey(u);
    const run = (chains.get(key) ?? Promise.resolve())
      .then(() => bot.handleUpdate(u))
      .catch((err: Error) => log.error({ err, update_id: u.update_id }, 'update failed outside the handler'))
      .then(() => inbox.done(u.update_id))
      .catch((err: Error) => log.warn({ err: err.message, update_id: u.update_id }, 'could not clear the update from the inbox'))
      .finally(() => {
        inFlight.delete(u.update_id);
        if (chains.get(key) === run) chains.delete(key);
      });
    chains.set(key, run);
    inFlight.set(u.update_id, run);
  };

  const loop = async (): Promise<void> => {
    bot.botInfo ??= await bot.telegram.getMe();
    await bot.telegram.deleteWebhook();
    const left = (await inbox.pending()) as Update[];
    if (left.length) log.info({ updates: left.length }, 'replaying updates a previous run did not finish');
    for (const u of left) {
      offset = Math.max(offset, u.update_id + 1);
      schedule(u);
    }
    while (!controller.signal.aborted) {
      if (inFlight.size >= maxInFlight) await Promise.race(inFlight.values());
      let updates: Update[];
      try {
        updates = await bot.telegram.callApi('getUpdates', {
          offset, timeout: options.timeoutSeconds ?? 50, allowed_updates: options.allowedUpdates as never,
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
      if (!updates.length) continue;
      try {
        // Stored first: the next getUpdates confirms them to Telegram.
        await inbox.save(updates);
      } catch (err) {
        // Not stored: the offset stays, Telegram hands them out again.
        log.error({ err: (err as Error).message }, 'could not store updates; asking for them again');
        await pause(1000, controller.signal);
        continue;
      }
      for (const u of updates) schedule(u);
      offset = Math.max(offset, updates.at(-1)!.update_id + 1);
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
      // Confirms what was received (it is in the inbox), so a restart is not handed it again.
      await bot.telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }).catch(() => undefined);
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
