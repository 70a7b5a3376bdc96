/**
 * Button data of the tips feature (without the `v1:` version prefix, which core/callback-data.ts adds
 * and checks). Parsed strictly: a value that does not match exactly is forged or stale and is dropped.
 *
 *   tf:<draft>:<step>:<value>   a button of the report flow; draft and step must match the session
 *   ts:<op>:<tipId>:<version>   a staff action on a tip card; version must match the tip
 *   td:<tipId>:<version>:<dept> 转办 to a department
 *   tm:<op>:<tipId>             the reporter's own tip (/mytips): add information, stop adding, "not fixed"
 */
export const FLOW_STEPS = ['area', 'prac', 'desc', 'town', 'addr', 'photo', 'ident', 'name', 'phone', 'conf'] as const;
export type FlowStep = (typeof FLOW_STEPS)[number];
export const STAFF_OPS = { a: 'accept', t: 'transfer', c: 'close', r: 'reject', d: 'duplicate', w: 'who', b: 'back' } as const;
export type StaffOp = (typeof STAFF_OPS)[keyof typeof STAFF_OPS];

export type TipCallback =
  | { kind: 'tip-flow'; draft: string; step: FlowStep; value: string }
  | { kind: 'tip-staff'; op: StaffOp; tipId: number; version: number }
  | { kind: 'tip-dept'; tipId: number; version: number; dept: string }
  | { kind: 'tip-mine'; op: 'add' | 'reopen' | 'stop'; tipId: number };

export const TIP_CALLBACK_KINDS = new Set(['tf', 'ts', 'td', 'tm']);
const DRAFT = /^[A-Za-z0-9_-]{10}$/;
const VALUE = /^(?:[a-z0-9]+(?:-[a-z0-9]+)*|!(?:back|cancel|skip|done|anon|real|submit|p\d))$/;
const ID = /^[1-9]\d{0,14}$/;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isTipCallback(cb: { kind: string }): cb is TipCallback {
  return cb.kind === 'tip-flow' || cb.kind === 'tip-staff' || cb.kind === 'tip-dept' || cb.kind === 'tip-mine';
}

export function encodeTipCallback(cb: TipCallback): string {
  switch (cb.kind) {
    case 'tip-flow': return `tf:${cb.draft}:${cb.step}:${cb.value}`;
    case 'tip-staff': {
      const op = Object.entries(STAFF_OPS).find(([, v]) => v === cb.op)?.[0];
      return `ts:${op}:${cb.tipId}:${cb.version}`;
    }
    case 'tip-dept': return `td:${cb.tipId}:${cb.version}:${cb.dept}`;
    case 'tip-mine': return `tm:${cb.op}:${cb.tipId}`;
  }
}

/** `parts` is the data split on ':' after the version: [kind, ...args]. */
export function decodeTipCallback(parts: readonly string[]): TipCallback | undefined {
  const [kind, a, b, c, ...extra] = parts;
  if (extra.length || !a || !b) return undefined;
  if (kind === 'tf' && c !== undefined && DRAFT.test(a) && (FLOW_STEPS as readonly string[]).includes(b) && VALUE.test(c)) {
    return { kind: 'tip-flow', draft: a, step: b as FlowStep, value: c };
  }
  if (kind === 'ts' && c !== undefined && Object.hasOwn(STAFF_OPS, a) && ID.test(b) && ID.test(c)) {
    return { kind: 'tip-staff', op: STAFF_OPS[a as keyof typeof STAFF_OPS], tipId: Number(b), version: Number(c) };
  }
  if (kind === 'td' && c !== undefined && ID.test(a) && ID.test(b) && SLUG.test(c)) {
    return { kind: 'tip-dept', tipId: Number(a), version: Number(b), dept: c };
  }
  if (kind === 'tm' && c === undefined && (a === 'add' || a === 'reopen' || a === 'stop') && ID.test(b)) {
    return { kind: 'tip-mine', op: a, tipId: Number(b) };
  }
  return undefined;
}
