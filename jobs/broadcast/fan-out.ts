import type { BroadcastRepos } from '../../core/broadcast/broadcast-repos.ts';
import type { StoredBroadcast } from '../../core/broadcast/broadcast-store.ts';
import type { Delivery, DeliveryProgress } from '../../core/broadcast/deliveries.ts';
import { SUBSCRIBER_ROLES } from '../../core/broadcast/subscribers.ts';
import type { Logger } from '../../core/logger.ts';
import { sleep, type SendLimiter } from '../send-limiter.ts';
import type { WorkerDeps } from '../types.ts';
import { createDeliveryRenderer } from './render-delivery.ts';
import { classifySendError } from './send-errors.ts';
import { runInSendScope } from '../../core/send/send-context.ts';

const BATCH = 100;
const PROGRESS_EVERY_MS = 10_000;
/** Consecutive "did not go out" failures (Telegram unreachable) before the job gives up for a while. */
const MAX_UNREACHABLE = 5;

type Outcome = 'sent' | 'blocked' | 'failed' | 'unknown' | 'released' | 'taken';

interface Run {
  readonly deps: WorkerDeps;
  readonly repos: BroadcastRepos;
  readonly limiter: SendLimiter;
  readonly urgent: boolean;
  readonly log: Logger;
  unreachable: number;
}

/**
 * Sends one broadcast to every active subscriber exactly as recorded in `broadcast_deliveries`: a row
 * per (broadcast, chat) exists before anything is sent and is claimed (pending → sending) right before
 * its send, so a second run — after a crash, a retry or on another worker — skips everyone already
 * served. One message at a time, paced by the shared limiter; sequential sending also means at most
 * one row is ever in doubt when a worker dies.
 */
export async function fanOut(broadcast: StoredBroadcast, deps: WorkerDeps, repos: BroadcastRepos, urgent: boolean): Promise<DeliveryProgress> {
  const limiter = deps.sendLimiter;
  if (!limiter) throw new Error('fan-out needs deps.sendLimiter (createWorker provides it)');
  const log = deps.logger.child({ broadcast: broadcast.id, kind: broadcast.kind, date: broadcast.date });
  const inDoubt = await repos.deliveries.settleInDoubt(broadcast.id);
  if (inDoubt > 0) log.warn({ inDoubt }, 'deliveries interrupted by a stopped worker are not sent again');
  const added = await repos.deliveries.addAudience(broadcast.id, SUBSCRIBER_ROLES);
  log.info({ added }, 'fan-out started');

  const render = createDeliveryRenderer(broadcast.payload, deps.content.strings);
  const run: Run = { deps, repos, limiter, urgent, log, unreachable: 0 };
  const release = urgent ? await limiter.holdUrgent() : undefined;
  let lastReport = deps.now();
  try {
    for (;;) {
      const batch = await repos.deliveries.nextBatch(broadcast.id, BATCH);
      if (batch.length === 0) break;
      for (const d of batch) {
        await deliverOne(run, d, render(d.role, d.townId));
        if (deps.now() - lastReport >= PROGRESS_EVERY_MS) {
          lastReport = deps.now();
          log.info(await repos.deliveries.progress(broadcast.id), 'fan-out progress');
        }
      }
    }
  } finally {
    await release?.();
  }
  const progress = await repos.deliveries.progress(broadcast.id);
  if (progress.remaining === 0) await repos.store.complete(broadcast.id);
  log.info(progress, 'fan-out finished');
  return progress;
}

async function deliverOne(run: Run, d: Delivery, parts: readonly string[]): Promise<Outcome> {
  const { deps, repos, limiter, log } = run;
  if (parts.length === 0) {
    // Nothing to say (should not happen: texts are validated); never leave the row pending forever.
    if (await repos.deliveries.claim(d.id)) await repos.deliveries.finish(d.id, 'failed', 'empty message');
    return 'failed';
  }
  let chatId = d.chatId;
  let claimed = false;
  for (let i = 0; i < parts.length;) {
    try {
      await limiter.acquire(chatId, { urgent: run.urgent, signal: deps.signal });
    } catch (err) {
      // Shutdown while waiting for a slot: nothing is in flight, the row stays (or goes back to) pending.
      if (claimed) await (i === 0 ? repos.deliveries.release(d.id, 'shutdown') : repos.deliveries.finish(d.id, 'unknown', `stopped after part ${i}`));
      throw err;
    }
    if (!claimed) {
      if (!(await repos.deliveries.claim(d.id))) return 'taken';
      claimed = true;
    }
    try {
      // Paced above and retried below at most once per delivery: the send path only bounds the request.
      await runInSendScope({ priority: 'bulk', selfPaced: true }, () =>
        deps.telegram.sendMessage(chatId, parts[i]!, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } }));
      run.unreachable = 0;
      i++;
      continue;
    } catch (err) {
      const f = classifySendError(err);
      switch (f.kind) {
        case 'rate-limited':
          log.warn({ retryAfterMs: f.retryAfterMs }, 'Telegram asked to slow down (429); every send waits');
          await limiter.pause(f.retryAfterMs);
          continue;
        case 'moved':
          await repos.subscribers.moveChat(chatId, f.toChatId);
          try {
            await repos.deliveries.moveChat(d.id, f.toChatId);
          } catch {
            // The new chat id already has its own row for this broadcast: that row serves it.
            await repos.deliveries.finish(d.id, 'failed', 'chat moved to a supergroup that has its own delivery');
            return 'failed';
          }
          chatId = f.toChatId;
          continue;
        case 'blocked':
          await repos.deliveries.finish(d.id, 'blocked', f.reason);
          await repos.subscribers.markInactive(chatId, f.reason);
          log.info({ delivery: d.id }, 'subscriber blocked the bot or is gone; marked inactive');
          return 'blocked';
        case 'rejected':
          await repos.deliveries.finish(d.id, 'failed', f.reason);
          log.warn({ delivery: d.id, reason: f.reason }, 'delivery rejected by Telegram');
          return 'failed';
        case 'in-doubt':
          await repos.deliveries.finish(d.id, 'unknown', f.reason);
          log.warn({ delivery: d.id, reason: f.reason }, 'delivery in doubt; not sent again');
          return 'unknown';
        case 'not-sent': {
          if (i > 0) {
            await repos.deliveries.finish(d.id, 'failed', `part ${i + 1}: ${f.reason}`);
            return 'failed';
          }
          await repos.deliveries.release(d.id, f.reason);
          run.unreachable++;
          if (run.unreachable >= MAX_UNREACHABLE) throw new Error(`Telegram unreachable (${f.reason}); the job retries later`);
          await sleep(1000 * 2 ** (run.unreachable - 1), deps.signal);
          return 'released';
        }
      }
    }
  }
  await repos.deliveries.finish(d.id, 'sent');
  return 'sent';
}
