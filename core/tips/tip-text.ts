import type { Content } from '../content/load-content.ts';
import { OTHER } from '../content/negative-list.ts';
import type { TipStatus } from './tip-model.ts';
import { escapeHtml } from '../render/telegram-html.ts';

/**
 * Labels for a tip's parts, HTML-escaped and ready for Telegram's HTML parse mode. Reporter text is
 * plain text: it is escaped here and nowhere interpreted, whoever reads it.
 */
export const esc = escapeHtml;

export function areaLabel(content: Content, areaId: string): string {
  const a = content.negativeList.area(areaId);
  return esc(a ? `${a.icon} ${a.name}` : content.strings.t('tips.area_other').replace(/^❓\s*/, ''));
}

export function practiceLabel(content: Content, practiceId: string | undefined): string {
  const p = practiceId && practiceId !== OTHER ? content.negativeList.practice(practiceId) : undefined;
  return esc(p ? p.name : content.strings.t('tips.practice_other').replace(/^❓\s*/, ''));
}

export function townLabel(content: Content, townId: string | undefined): string {
  const t = townId ? content.towns.byId(townId) : undefined;
  return esc(t ? t.name : content.strings.t('tips.not_given'));
}

export function statusLabel(content: Content, status: TipStatus): string {
  return esc(content.strings.t(`tips.status.${status}`));
}

export function departmentLabel(content: Content, id: string | undefined): string {
  return esc((id && content.departments.byId(id)?.name) || content.strings.t('tips.not_given'));
}

/** Chinese mobile shown masked in summaries the reporter sees (the full number is theirs, but screens are shared). */
export function maskedPhone(phone: string): string {
  return phone.replace(/^(\d{3})\d{4}(\d{4})$/, '$1****$2');
}
