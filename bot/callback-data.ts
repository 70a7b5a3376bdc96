/**
 * Callback data is untrusted input: anyone can send any bytes. Every button we make is
 * `v1:<kind>:<args>` and is parsed back strictly; anything else (forged, stale version, too long)
 * parses to undefined and gets the polite "expired" reply.
 */
export const CALLBACK_VERSION = 'v1';
const MAX_BYTES = 64;

export type Callback =
  | { kind: 'topic'; entryId: string }
  | { kind: 'feedback'; logId: number; value: 1 | -1 };

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function encodeCallback(cb: Callback): string {
  const data =
    cb.kind === 'topic' ? `${CALLBACK_VERSION}:t:${cb.entryId}` : `${CALLBACK_VERSION}:f:${cb.logId}:${cb.value > 0 ? 'u' : 'd'}`;
  if (Buffer.byteLength(data) > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${data}`);
  return data;
}

export function decodeCallback(data: string | undefined): Callback | undefined {
  if (!data || Buffer.byteLength(data) > MAX_BYTES) return undefined;
  const [version, kind, a, b, ...extra] = data.split(':');
  if (version !== CALLBACK_VERSION || extra.length) return undefined;
  if (kind === 't' && a && ID.test(a) && b === undefined) return { kind: 'topic', entryId: a };
  if (kind === 'f' && a && /^\d{1,15}$/.test(a) && (b === 'u' || b === 'd')) {
    return { kind: 'feedback', logId: Number(a), value: b === 'u' ? 1 : -1 };
  }
  return undefined;
}
