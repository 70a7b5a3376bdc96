import type { BroadcastPayload } from '../../core/broadcast/daily-payload.ts';
import type { SubscriberRole } from '../../core/broadcast/subscribers.ts';
import type { Strings } from '../../core/content/strings.ts';
import { escapeHtml } from '../../core/render/telegram-html.ts';
import { splitTelegramHtml } from '../../core/render/split-html.ts';

/** 2026-12-01 → 12月1日 */
export function shortDate(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

/**
 * The Telegram messages (HTML, split safely under the length limit) one subscriber receives for a
 * broadcast: operators the full script for their town, residents the short tip, everyone an alert.
 */
export function renderDelivery(payload: BroadcastPayload, role: SubscriberRole, townId: string | null, strings: Strings): string[] {
  if (payload.kind === 'alert') {
    return splitTelegramHtml(strings.t('broadcast.delivery.alert', { text: escapeHtml(payload.text) }));
  }
  if (role === 'resident') {
    const { title, text } = payload.tip;
    return splitTelegramHtml(strings.t('broadcast.delivery.tip', { date: shortDate(payload.date), title: escapeHtml(title), text: escapeHtml(text) }));
  }
  const script = (townId ? payload.towns[townId] : undefined) ?? payload.district;
  const body = script.text.split('\n\n').map(escapeHtml).join('\n\n');
  const html = [strings.t('broadcast.delivery.operator_header', { title: escapeHtml(script.title) }), body, strings.t('broadcast.delivery.operator_footer')].join('\n\n');
  return splitTelegramHtml(html);
}

/** Renders once per (role, town) for a whole fan-out: thousands of subscribers share a few variants. */
export function createDeliveryRenderer(payload: BroadcastPayload, strings: Strings): (role: SubscriberRole, townId: string | null) => string[] {
  const cache = new Map<string, string[]>();
  return (role, townId) => {
    const key = `${role}:${townId ?? ''}`;
    let parts = cache.get(key);
    if (!parts) {
      parts = renderDelivery(payload, role, townId, strings);
      cache.set(key, parts);
    }
    return parts;
  };
}
