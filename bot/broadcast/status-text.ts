import type { BroadcastRepos } from '../../core/broadcast/broadcast-repos.ts';
import { clockIn } from '../../core/broadcast/clock.ts';
import type { DeliveryProgress } from '../../core/broadcast/deliveries.ts';
import type { Strings } from '../../core/content/strings.ts';
import { shortDate } from '../../jobs/broadcast/render-delivery.ts';

/**
 * /broadcast_status for staff: today's broadcast, the last few alerts, and active subscriptions.
 * Counts come from the delivery records, so they are true whichever process is sending.
 */
export async function broadcastStatusHtml(repos: BroadcastRepos, strings: Strings, date: string, timezone: string, time: string): Promise<string> {
  const counts = (p: DeliveryProgress, done: boolean): string =>
    `${strings.t('broadcast.status.counts', { ...p })} ${strings.t(done ? 'broadcast.status.done' : 'broadcast.status.running')}`;
  const lines = [strings.t('broadcast.status.title'), ''];
  const daily = await repos.store.daily(date);
  if (daily) {
    const p = await repos.deliveries.progress(daily.id);
    lines.push(strings.t('broadcast.status.daily', { date: shortDate(date), counts: counts(p, daily.completedAt !== null) }));
    if (daily.payload.urgent) lines.push(strings.t('broadcast.status.urgent_set'));
  } else {
    lines.push(strings.t('broadcast.status.daily_none', { date: shortDate(date), time }));
  }
  for (const a of await repos.store.latestAlerts(3)) {
    const p = await repos.deliveries.progress(a.id);
    const at = `${shortDate(a.date)} ${clockIn(timezone, new Date(a.createdAt))}`;
    lines.push(strings.t('broadcast.status.alert', { id: a.id, at, counts: counts(p, a.completedAt !== null) }));
  }
  const subs = await repos.subscribers.activeCounts();
  lines.push('', strings.t('broadcast.status.subscribers', { operators: subs.operator, residents: subs.resident }), strings.t('broadcast.status.note'));
  return lines.join('\n');
}
