import type { Content } from '../content/load-content.ts';
import type { Assignment } from './assignment-store.ts';
import type { Member } from './member-store.ts';
import { formatRange } from './local-time.ts';
import { encodeCallback, type VolDutyAction } from '../callback-data.ts';
import { callbackButton, inlineKeyboard, type InlineKeyboard } from '../render/inline-keyboard.ts';
import { escapeHtml } from '../render/telegram-html.ts';

/**
 * Volunteer messages shared by bot handlers and job processors (invitations, reminders, notices), so
 * a volunteer reads the same words whichever path sent them. Everything a person typed is escaped:
 * titles and names are plain text, never markup.
 */

/** Hours to one decimal, without a trailing ".0" (2 小时, 2.5 小时). */
export const hours = (minutes: number): string => String(Math.round(minutes / 6) / 10);

export function assignmentVars(content: Content, a: Assignment): Record<string, string | number> {
  const any = content.strings.t('volunteer.any_skill');
  return {
    id: a.id,
    title: escapeHtml(a.title),
    description: escapeHtml(a.description),
    town: escapeHtml(content.towns.byId(a.townId)?.name ?? a.townId),
    place: escapeHtml(a.place),
    time: formatRange(a.startsAt, a.endsAt),
    skills: content.skills.skills.names(a.skills).join('、') || any,
    needed: a.needed,
  };
}

export function dutyKeyboard(content: Content, memberId: number, actions: readonly VolDutyAction[]): InlineKeyboard {
  const label: Record<VolDutyAction, string> = {
    acc: 'accept', dec: 'decline', wd: 'withdraw', in: 'check_in', out: 'check_out', skip: 'skip',
  };
  return inlineKeyboard([
    actions.map((action) => callbackButton(content.strings.t(`volunteer.buttons.${label[action]}`), encodeCallback({ kind: 'vol-duty', action, memberId }))),
  ]);
}

export function invitationMessage(content: Content, a: Assignment, memberId: number): { html: string; keyboard: InlineKeyboard } {
  return { html: content.strings.t('volunteer.invitation', assignmentVars(content, a)), keyboard: dutyKeyboard(content, memberId, ['acc', 'dec']) };
}

export function reminderMessage(content: Content, a: Assignment, memberId: number): { html: string; keyboard: InlineKeyboard } {
  return { html: content.strings.t('volunteer.reminder', assignmentVars(content, a)), keyboard: dutyKeyboard(content, memberId, ['in', 'wd']) };
}

/** Staff view of one assignment: filled/needed and each volunteer's state (names only, never phones). */
export function assignmentSummary(content: Content, a: Assignment, members: readonly Member[]): string {
  const t = content.strings.t.bind(content.strings);
  const held = members.filter((m) => ['accepted', 'checked_in', 'done'].includes(m.state)).length;
  const head = t('volunteer.list_item', { ...assignmentVars(content, a), held, full: held >= a.needed ? t('volunteer.list_full') : '' });
  const lines = members.map((m) =>
    t('volunteer.list_member', { name: escapeHtml(m.name ?? t('volunteer.deleted_person')), state: t(`volunteer.states.${m.state}`) }));
  return [head, ...(lines.length ? lines : [t('volunteer.list_no_members')])].join('\n');
}
