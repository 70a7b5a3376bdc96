/**
 * The tip's life cycle, shared by the reporter flow, staff triage, processors and the export.
 * Status labels shown to people live in content/strings.yaml (tips.status.<status>).
 */
export const TIP_STATUSES = ['new', 'accepted', 'verifying', 'closed', 'rejected', 'reopened'] as const;
export type TipStatus = (typeof TIP_STATUSES)[number];

export const STAFF_ACTIONS = ['accept', 'transfer', 'close', 'reject', 'duplicate'] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** Statuses a reporter can still add information to. */
export const OPEN_STATUSES: readonly TipStatus[] = ['new', 'accepted', 'verifying', 'reopened'];
/** Statuses that wait for a first staff action; 24 hours in one of them makes the tip overdue. */
export const AWAITING_STATUSES: readonly TipStatus[] = ['new', 'reopened'];

/** What each staff action does to the status; a status missing from `from` refuses the action. */
export const TRANSITIONS: Readonly<Record<StaffAction, { from: readonly TipStatus[]; to?: TipStatus }>> = {
  accept: { from: ['new', 'reopened'], to: 'accepted' },
  transfer: { from: ['new', 'reopened', 'accepted', 'verifying'], to: 'verifying' },
  close: { from: ['new', 'reopened', 'accepted', 'verifying'], to: 'closed' },
  reject: { from: ['new', 'reopened', 'accepted', 'verifying'], to: 'rejected' },
  // Flags only: a suspected duplicate is still handled (closed or rejected) by staff.
  duplicate: { from: ['new', 'reopened', 'accepted', 'verifying'] },
};

export function allowedActions(status: TipStatus, markedDuplicate: boolean): StaffAction[] {
  return STAFF_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status) && !(a === 'duplicate' && markedDuplicate));
}

/** Limits on what a reporter may send; counted in Unicode code points as a person counts characters. */
export const TIP_LIMITS = {
  descriptionMin: 5,
  descriptionMax: 1000,
  addressMax: 200,
  addInfoMax: 1000,
  staffNoteMax: 500,
  nameMax: 30,
  photosMax: 3,
  perReporterPerDay: 5,
  /** Tips in the same practice and town with similar text within this many days are flagged. */
  duplicateDays: 7,
  duplicateSimilarity: 0.5,
  overdueMs: 24 * 3600_000,
  reopenMax: 1,
} as const;

export interface Tip {
  readonly id: number;
  readonly trackingNo: string;
  readonly areaId: string;
  /** undefined when the reporter chose "other" (not on the list). */
  readonly practiceId?: string;
  readonly description: string;
  readonly townId?: string;
  readonly address?: string;
  readonly location?: { readonly latitude: number; readonly longitude: number };
  readonly photos: readonly string[];
  readonly realName: boolean;
  readonly status: TipStatus;
  readonly version: number;
  readonly departmentId?: string;
  readonly resultNote?: string;
  /** Tracking number of an earlier similar tip (automatic flag). */
  readonly duplicateOf?: string;
  readonly staffMarkedDuplicate: boolean;
  readonly reopenCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt?: string;
}

/** What the reporter flow collects before confirmation: the reported part of a tip, as typed. */
export interface TipDraft extends Pick<Tip, 'areaId' | 'practiceId' | 'description' | 'townId' | 'address' | 'location' | 'photos'> {
  readonly submissionKey: string;
  /** Real-name contact details, already known to be wanted; encrypted before they are stored. */
  readonly contact?: { readonly name: string; readonly phone: string };
}

export const codePoints = (s: string): number => [...s].length;

/**
 * Plain text as stored: control characters (other than newline and tab) removed, line endings
 * normalised, trimmed. Nothing is interpreted; every place that shows it escapes it.
 */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\u202A-\u202E\u2066-\u2069]/g, '').trim();
}

/** Mainland mobile numbers, typed with or without +86, spaces or dashes. Returns 11 digits or undefined. */
export function normalizeMobile(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '').replace(/^(\+?86)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}
