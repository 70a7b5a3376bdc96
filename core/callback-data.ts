/**
 * Callback data is untrusted input: anyone can send any bytes. Every button we make is
 * `v1:<kind>:<args>` and is parsed back strictly; anything else (forged, stale version, too long)
 * parses to undefined and gets the polite "expired" reply.
 */
import { isSupportedDate } from './broadcast/dates.ts';
import { decodeTipCallback, encodeTipCallback, isTipCallback, TIP_CALLBACK_KINDS, type TipCallback } from './tips/tip-callbacks.ts';

export const CALLBACK_VERSION = 'v1';
const MAX_BYTES = 64;

export type Callback =
  | { kind: 'topic'; entryId: string }
  /** An entry's longer section (## 更多), under an answer that showed only the short one. */
  | { kind: 'more'; entryId: string }
  | { kind: 'feedback'; logId: number; value: 1 | -1 }
  /** A day's broadcast script (previous/next day buttons); town is a town id, absent district-wide. */
  | { kind: 'script'; date: string; town?: string }
  /** Volunteer conversation steps (sign-up, profile, /assign); valid only for the flow the chat is in. */
  | { kind: 'vol-flow'; action: VolFlowAction; arg?: string }
  /** A volunteer's answer on their own assignment membership (accept, decline, check in …). */
  | { kind: 'vol-duty'; action: VolDutyAction; memberId: number }
  /** Staff actions on an assignment; the handler re-checks the staff list. */
  | { kind: 'vol-staff'; action: VolStaffAction; assignmentId: number }
  /** Tips: the report flow, staff triage, the reporter's own tips (see core/tips/tip-callbacks.ts). */
  | TipCallback
  /** /delete_me confirmation. */
  | { kind: 'delete-me'; confirm: boolean }
  /** /subscribe: the role chosen, then the town (a town id from content). */
  | { kind: 'sub-role'; role: 'operator' | 'resident' }
  | { kind: 'sub-town'; role: 'operator' | 'resident'; townId: string }
  /** Staff confirming (or cancelling) an urgent alert or script; the nonce must match their pending draft. */
  | { kind: 'bc-confirm'; action: 'alert' | 'urgent'; ok: boolean; nonce: string };

export const VOL_FLOW_ACTIONS = ['ok', 'back', 'x', 'town', 'skill', 'avail', 'done', 'save', 'edit', 'pause', 'resume', 'all'] as const;
export type VolFlowAction = (typeof VOL_FLOW_ACTIONS)[number];
export const VOL_DUTY_ACTIONS = ['acc', 'dec', 'wd', 'in', 'out', 'skip'] as const;
export type VolDutyAction = (typeof VOL_DUTY_ACTIONS)[number];
export const VOL_STAFF_ACTIONS = ['cx', 'cxy'] as const;
export type VolStaffAction = (typeof VOL_STAFF_ACTIONS)[number];
const oneOf = <T extends string>(list: readonly T[], v: string | undefined): v is T => v !== undefined && (list as readonly string[]).includes(v);

const ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function encodeCallback(cb: Callback): string {
  const data =
    isTipCallback(cb) ? `${CALLBACK_VERSION}:${encodeTipCallback(cb)}` :
    cb.kind === 'delete-me' ? `${CALLBACK_VERSION}:dm:${cb.confirm ? 'y' : 'n'}` :
    cb.kind === 'sub-role' ? `${CALLBACK_VERSION}:sr:${cb.role[0]}` :
    cb.kind === 'sub-town' ? `${CALLBACK_VERSION}:st:${cb.role[0]}:${cb.townId}` :
    cb.kind === 'bc-confirm' ? `${CALLBACK_VERSION}:bk:${cb.action[0]}${cb.ok ? 'y' : 'n'}:${cb.nonce}` :
    cb.kind === 'vol-flow' ? `${CALLBACK_VERSION}:vf:${cb.action}${cb.arg ? `:${cb.arg}` : ''}` :
    cb.kind === 'vol-duty' ? `${CALLBACK_VERSION}:vd:${cb.action}:${cb.memberId}` :
    cb.kind === 'vol-staff' ? `${CALLBACK_VERSION}:vs:${cb.action}:${cb.assignmentId}` :
    cb.kind === 'script' ? `${CALLBACK_VERSION}:s:${cb.date}${cb.town ? `:${cb.town}` : ''}` :
    cb.kind === 'topic' ? `${CALLBACK_VERSION}:t:${cb.entryId}` :
    cb.kind === 'more' ? `${CALLBACK_VERSION}:m:${cb.entryId}` : `${CALLBACK_VERSION}:f:${cb.logId}:${cb.value > 0 ? 'u' : 'd'}`;
  if (Buffer.byteLength(data) > MAX_BYTES) throw new Error(`callback data over ${MAX_BYTES} bytes: ${data}`);
  return data;
}

export function decodeCallback(data: string | undefined): Callback | undefined {
  if (!data || Buffer.byteLength(data) > MAX_BYTES) return undefined;
  const [version, kind, a, b, ...extra] = data.split(':');
  if (version === CALLBACK_VERSION && kind && TIP_CALLBACK_KINDS.has(kind)) return decodeTipCallback(data.split(':').slice(1));
  if (version !== CALLBACK_VERSION || extra.length) return undefined;
  if (kind === 'dm' && (a === 'y' || a === 'n') && b === undefined) return { kind: 'delete-me', confirm: a === 'y' };
  const role = (r: string | undefined) => (r === 'o' ? 'operator' : r === 'r' ? 'resident' : undefined);
  if (kind === 'sr' && role(a) && b === undefined) return { kind: 'sub-role', role: role(a)! };
  if (kind === 'st' && role(a) && b && ID.test(b)) return { kind: 'sub-town', role: role(a)!, townId: b };
  if (kind === 'bk' && a && /^[au][yn]$/.test(a) && b && /^[0-9a-f]{8}$/.test(b)) {
    return { kind: 'bc-confirm', action: a[0] === 'a' ? 'alert' : 'urgent', ok: a[1] === 'y', nonce: b };
  }
  if (kind === 't' && a && ID.test(a) && b === undefined) return { kind: 'topic', entryId: a };
  if (kind === 'm' && a && ID.test(a) && b === undefined) return { kind: 'more', entryId: a };
  if (kind === 'f' && a && /^\d{1,15}$/.test(a) && (b === 'u' || b === 'd')) {
    return { kind: 'feedback', logId: Number(a), value: b === 'u' ? 1 : -1 };
  }
  if (kind === 'vf' && oneOf(VOL_FLOW_ACTIONS, a) && (b === undefined || ID.test(b))) {
    return b === undefined ? { kind: 'vol-flow', action: a } : { kind: 'vol-flow', action: a, arg: b };
  }
  if (kind === 'vd' && oneOf(VOL_DUTY_ACTIONS, a) && b && /^[1-9]\d{0,14}$/.test(b)) return { kind: 'vol-duty', action: a, memberId: Number(b) };
  if (kind === 'vs' && oneOf(VOL_STAFF_ACTIONS, a) && b && /^[1-9]\d{0,14}$/.test(b)) return { kind: 'vol-staff', action: a, assignmentId: Number(b) };
  // Only days that have a script: a forged 2026-02-30 or 1999 button is "expired", not an error.
  if (kind === 's' && a && isSupportedDate(a) && (b === undefined || ID.test(b))) {
    return b === undefined ? { kind: 'script', date: a } : { kind: 'script', date: a, town: b };
  }
  return undefined;
}
