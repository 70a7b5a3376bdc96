/**
 * What a failed sendMessage means for a broadcast delivery. The distinction that matters is whether
 * the message may have reached Telegram: only when it certainly did not is it sent again.
 */
export type SendFailure =
  /** 429: Telegram refused it; everyone waits retry_after, then the same message is sent again. */
  | { readonly kind: 'rate-limited'; readonly retryAfterMs: number }
  /** 403 or a chat that no longer exists: the subscriber becomes inactive. */
  | { readonly kind: 'blocked'; readonly reason: string }
  /** The group became a supergroup with a new id. */
  | { readonly kind: 'moved'; readonly toChatId: number }
  /** Any other 4xx: sending it again would fail the same way. */
  | { readonly kind: 'rejected'; readonly reason: string }
  /** Refused connection, DNS failure, 5xx: it did not go out; safe to send again later. */
  | { readonly kind: 'not-sent'; readonly reason: string }
  /** The connection broke mid-request: it may have gone out; never sent again (at most once). */
  | { readonly kind: 'in-doubt'; readonly reason: string };

const GONE = /chat not found|user is deactivated|bot was kicked|not a member|PEER_ID_INVALID|group chat was deleted/i;
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

interface TelegramLike {
  response?: { error_code?: number; description?: string; parameters?: { retry_after?: number; migrate_to_chat_id?: number } };
  code?: unknown;
  errno?: unknown;
  message?: string;
}

export function classifySendError(err: unknown): SendFailure {
  const e = (err ?? {}) as TelegramLike;
  const r = e.response;
  if (r && typeof r.error_code === 'number') {
    const reason = `${r.error_code}: ${r.description ?? ''}`.slice(0, 200);
    if (r.error_code === 429) return { kind: 'rate-limited', retryAfterMs: Math.max(1, r.parameters?.retry_after ?? 1) * 1000 };
    if (r.parameters?.migrate_to_chat_id) return { kind: 'moved', toChatId: r.parameters.migrate_to_chat_id };
    if (r.error_code === 403 || (r.error_code === 400 && GONE.test(r.description ?? ''))) return { kind: 'blocked', reason };
    if (r.error_code >= 500) return { kind: 'not-sent', reason };
    return { kind: 'rejected', reason };
  }
  const code = typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : '';
  const reason = `${code} ${e.message ?? String(err)}`.trim().slice(0, 200);
  return NEVER_SENT.has(code) ? { kind: 'not-sent', reason } : { kind: 'in-doubt', reason };
}
