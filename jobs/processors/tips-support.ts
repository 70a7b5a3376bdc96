import type { Tips } from '../../core/tips/tips.ts';
import { createTips } from '../../core/tips/tips.ts';
import type { WorkerDeps } from '../types.ts';
import { CLAIM_RENEW_MS, type NoticeSide, type OutboxEvent } from '../../core/tips/tip-outbox.ts';

export { TIP_JOBS, staffPostJobId, notifyJobId, overdueJobId } from '../../core/tips/tip-jobs.ts';

/** Processors get no cipher: they never need the reporter's contact details. */
export const tipsFor = (deps: WorkerDeps): Tips => createTips(deps.database, { now: deps.now });

/** A positive integer field of job data, or undefined (job data is input like any other). */
export function idField(data: unknown, field: string): number | undefined {
  const v = data && typeof data === 'object' ? (data as Record<string, unknown>)[field] : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

interface TelegramLikeError {
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number } };
}
export const telegramCode = (err: unknown): number | undefined => (err as TelegramLikeError)?.response?.error_code;

/**
 * The error to rethrow for a retry. telegraf's errors carry the request payload (chat id, text): the
 * job runner logs what it gets, so only the code and Telegram's description go on.
 */
export function sanitizedError(err: unknown): Error {
  const r = (err as TelegramLikeError)?.response;
  if (r?.error_code) return new Error(`Telegram ${r.error_code}: ${r.description ?? ''}`.trim());
  return new Error((err as Error)?.message ?? 'send failed');
}

/** 403 (blocked, deactivated) and 400 "chat not found": the reporter cannot be reached; retrying will not help. */
export function isUnreachable(err: unknown): boolean {
  const r = (err as TelegramLikeError)?.response;
  return r?.error_code === 403 || (r?.error_code === 400 && /chat not found|user not found/i.test(r.description ?? ''));
}

export function retryAfterMs(err: unknown): number | undefined {
  const s = (err as TelegramLikeError)?.response?.parameters?.retry_after;
  return typeof s === 'number' ? s * 1000 : undefined;
}

/**
 * Claims an outbox event for this attempt and keeps the lease alive until `stop()`. Another attempt
 * holding a live lease is an error worth retrying (the job backs off and tries again), not "already
 * sent": if that attempt crashed, its lease runs out within seconds and the retry sends.
 */
export async function claimLeased(tips: Tips, eventId: number, side: NoticeSide): Promise<{ event: OutboxEvent; stop: () => void } | undefined> {
  const event = await tips.outbox.claim(eventId, side);
  if (!event) {
    if (await tips.outbox.isClaimed(eventId, side)) throw new Error(`tip event ${eventId} is being sent by another attempt; retrying after its lease`);
    return undefined;
  }
  const timer = setInterval(() => void tips.outbox.renew(eventId, side).catch(() => undefined), CLAIM_RENEW_MS);
  timer.unref();
  return { event, stop: () => clearInterval(timer) };
}
