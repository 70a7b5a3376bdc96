import type { Content } from '../content/load-content.ts';
import { allowedActions, type Tip } from './tip-model.ts';
import { localDateTime } from './tracking.ts';
import { encodeCallback } from '../callback-data.ts';
import { callbackButton, inlineKeyboard, type InlineButton } from '../render/inline-keyboard.ts';
import { areaLabel, departmentLabel, esc, practiceLabel, statusLabel, townLabel } from './tip-text.ts';

export type CardBanner = 'new' | 'overdue' | 'reopened' | undefined;

/**
 * The tip as staff see it in the group. It never contains the reporter: no name, username, chat id or
 * phone, for real-name tips too (those open only through 查看实名, per staff member, logged).
 */
export function staffCardHtml(content: Content, tip: Tip, banner?: CardBanner): string {
  const t = (k: string, v?: Record<string, string | number>): string => content.strings.t(`tips.staff.${k}`, v);
  const lines = [
    t('card', {
      banner: banner ? t(`banner_${banner}`) : '',
      tracking: esc(tip.trackingNo), status: statusLabel(content, tip.status),
      area: areaLabel(content, tip.areaId), practice: practiceLabel(content, tip.practiceId),
      town: townLabel(content, tip.townId), address: esc(tip.address ?? content.strings.t('tips.not_given')),
      time: localDateTime(tip.createdAt), identity: t(tip.realName ? 'identity_real' : 'identity_anonymous'), photos: tip.photos.length,
    }).replace(/^\n/, ''),
  ];
  if (tip.location) lines.push(t('card_location', { latitude: tip.location.latitude.toFixed(5), longitude: tip.location.longitude.toFixed(5) }));
  if (tip.departmentId) lines.push(t('card_department', { department: departmentLabel(content, tip.departmentId) }));
  if (tip.duplicateOf) lines.push(t('card_auto_duplicate', { tracking: esc(tip.duplicateOf) }));
  if (tip.staffMarkedDuplicate) lines.push(t('card_staff_duplicate'));
  if (tip.reopenCount) lines.push(t('card_reopened', { count: tip.reopenCount }));
  lines.push('', t('card_description'), esc(tip.description));
  if (tip.resultNote && (tip.status === 'closed' || tip.status === 'rejected')) {
    lines.push('', t(tip.status === 'closed' ? 'card_result_closed' : 'card_result_rejected', { note: esc(tip.resultNote) }));
  }
  return lines.join('\n');
}

/** The actions allowed in the tip's current state, each carrying the tip's version (stale buttons do nothing). */
export function staffKeyboard(content: Content, tip: Tip) {
  const t = (k: string): string => content.strings.t(`tips.staff.${k}`);
  const cb = (op: 'accept' | 'transfer' | 'close' | 'reject' | 'duplicate' | 'who'): InlineButton =>
    callbackButton(t(op), encodeCallback({ kind: 'tip-staff', op, tipId: tip.id, version: tip.version }));
  const allowed = allowedActions(tip.status, tip.staffMarkedDuplicate);
  const rows: InlineButton[][] = [];
  const first = (['accept', 'transfer'] as const).filter((a) => allowed.includes(a)).map(cb);
  const second = (['close', 'reject'] as const).filter((a) => allowed.includes(a)).map(cb);
  if (first.length) rows.push(first);
  if (second.length) rows.push(second);
  if (allowed.includes('duplicate')) rows.push([cb('duplicate')]);
  if (tip.realName) rows.push([cb('who')]);
  return inlineKeyboard(rows);
}

/** 转办: one button per department from content, and back to the actions. */
export function departmentKeyboard(content: Content, tip: Tip) {
  const buttons = content.departments.all.map((d) =>
    callbackButton(d.name, encodeCallback({ kind: 'tip-dept', tipId: tip.id, version: tip.version, dept: d.id })));
  const rows: InlineButton[][] = [];
  for (let i = 0; i < buttons.length; i += 2) rows.push(buttons.slice(i, i + 2));
  rows.push([callbackButton(content.strings.t('tips.staff.back'), encodeCallback({ kind: 'tip-staff', op: 'back', tipId: tip.id, version: tip.version }))]);
  return inlineKeyboard(rows);
}
