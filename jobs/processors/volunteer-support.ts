import type { InlineKeyboard } from '../../core/render/inline-keyboard.ts';
import { createVolunteerRepos, type VolunteerRepos } from '../../core/volunteers/repos.ts';
import { classifySendError } from '../broadcast/send-errors.ts';
import type { WorkerDeps } from '../types.ts';

/** Processors never need a phone number, so their repositories get no cipher. */
export const reposFor = (deps: WorkerDeps): VolunteerRepos => createVolunteerRepos(deps.database, deps.content.towns, undefined, deps.now);

/** A positive integer field of job data (job data is input like any other). */
export function idField(data: unknown, field: string): number | undefined {
  const v = data && typeof data === 'object' ? (data as Record<string, unknown>)[field] : undefined;
  return typeof v === 'number' && Number.isSafeInteger(v) && v > 0 ? v : undefined;
}

export type SendResult = 'sent' | 'unreachable' | 'in-doubt';

/**
 * Sends one message whose right to be sent was already claimed in the database. When it certainly did
 * not go out (429, 5xx, network refused) the claim is released and the job fails for a retry; when it
 * may have gone out (connection broke mid-request) the claim is kept: at most once beats twice.
 * Blocked chats and rejected messages are `unreachable`: retrying would fail the same way.
 */
export async function sendClaimed(
  deps: WorkerDeps, chatId: number, html: string, keyboard: InlineKeyboard | undefined, release: () => Promise<void>,
): Promise<SendResult> {
  try {
    await deps.telegram.sendMessage(chatId, html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(keyboard ?? {}) });
    return 'sent';
  } catch (err) {
    const f = classifySendError(err);
    if (f.kind === 'blocked' || f.kind === 'rejected' || f.kind === 'moved') {
      deps.logger.warn({ reason: 'reason' in f ? f.reason : f.kind }, 'volunteer message undeliverable');
      return 'unreachable';
    }
    if (f.kind === 'in-doubt') {
      deps.logger.warn({ reason: f.reason }, 'volunteer message may not have arrived; not sending twice');
      return 'in-doubt';
    }
    await release();
    if (f.kind === 'rate-limited') await deps.sendLimiter?.pause(f.retryAfterMs);
    // Only the failure kind goes on: telegraf's error carries the payload (chat id, text).
    throw new Error(`Telegram send failed (${f.kind}${'reason' in f ? `: ${f.reason}` : ''})`);
  }
}
