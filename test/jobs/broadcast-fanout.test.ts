import { afterEach, describe, expect, it } from 'vitest';
import { enqueueDailyBroadcast } from '../../jobs/broadcast/processors.ts';
import { addSubscribers, nextDone, startBroadcastHarness, type BroadcastHarness } from '../support/broadcast-harness.ts';

let h: BroadcastHarness;
afterEach(async () => h?.stop());

const sendsTo = (chat: number) => h.api.messagesTo(chat).filter((m) => m.method === 'sendMessage');

describe('daily broadcast fan-out against the fake Bot API', () => {
  it('operators get their town\'s full script, residents the short tip, each exactly once, within Telegram\'s limits', async () => {
    h = await startBroadcastHarness();
    h.api.enforceLimits(); // 30/s overall, 1/s per chat, 20/min per group: a violation is a 429 and is counted
    const longxing = await addSubscribers(h.repos, 5, { firstId: 810_001, role: 'operator', townId: 'longxing' });
    const shichuan = await addSubscribers(h.repos, 3, { firstId: 820_001, role: 'operator', townId: 'shichuan' });
    const residents = await addSubscribers(h.repos, 12, { firstId: 830_001, role: 'resident' });
    const done = nextDone(h.events, 'broadcast');
    await enqueueDailyBroadcast(h.app.queue, h.today);
    expect(await done).toMatchObject({ total: 20, sent: 20, remaining: 0 });

    for (const id of longxing) {
      expect(sendsTo(id)).toHaveLength(1);
      expect(sendsTo(id)[0]?.plain_text).toMatch(/^📢 龙兴镇安全广播稿（2026年12月1日/);
      expect(sendsTo(id)[0]?.plain_text).toContain('119');
    }
    for (const id of shichuan) expect(sendsTo(id)[0]?.plain_text).toMatch(/^📢 石船镇安全广播稿/);
    for (const id of residents) {
      expect(sendsTo(id)).toHaveLength(1);
      expect(sendsTo(id)[0]?.plain_text).toContain('每日安全提示 · 12月1日');
    }
    expect(h.api.violations).toBe(0);
    // Operators first: the loudspeaker script matters most at dawn.
    const order = h.api.sent.map((m) => m.chat_id);
    expect(Math.max(...[...longxing, ...shichuan].map((id) => order.indexOf(id)))).toBeLessThan(Math.min(...residents.map((id) => order.indexOf(id))));

    // The delivered script is what readers now get, and it is fixed.
    const stored = await h.repos.store.daily(h.today);
    expect(stored?.completedAt).not.toBeNull();
    expect((await h.deps.scripts.forDate(h.today, '龙兴镇')).text).toBe(stored?.payload.towns.longxing?.text);

    // Running the job again (a retry, a second worker) sends nothing more.
    const again = nextDone(h.events, 'broadcast');
    await h.app.queue.enqueue('broadcast', { date: h.today }, { jobId: 'broadcast:manual-rerun' });
    expect(await again).toMatchObject({ total: 20, sent: 20 });
    expect(h.api.sent.filter((m) => m.method === 'sendMessage')).toHaveLength(20);
  });

  it('a 429 with retry_after stops every send until the window has passed, then the fan-out completes', async () => {
    h = await startBroadcastHarness();
    const ids = await addSubscribers(h.repos, 12, { firstId: 840_001, role: 'resident' });
    const done = nextDone(h.events, 'broadcast');
    await enqueueDailyBroadcast(h.app.queue, h.today);
    await h.api.waitForCalls(3, 'sendMessage');
    h.api.rateLimit({ retryAfter: 2, times: 1 });
    await done;
    const sends = h.api.calls.filter((c) => c.method === 'sendMessage');
    const limited = sends.findIndex((c) => c.status === 429);
    expect(limited).toBeGreaterThan(0);
    const next = sends[limited + 1]!;
    expect(next.at - sends[limited]!.at).toBeGreaterThanOrEqual(2000);
    for (const id of ids) expect(sendsTo(id)).toHaveLength(1);
  });

  it('a broadcast job left over from an earlier day sends nothing (stale advice is worse than none)', async () => {
    h = await startBroadcastHarness();
    await addSubscribers(h.repos, 3, { firstId: 845_001, role: 'resident' });
    const done = nextDone(h.events, 'broadcast');
    await enqueueDailyBroadcast(h.app.queue, '2026-11-30');
    expect(await done).toEqual({ skipped: 'not today' });
    expect(h.api.sent).toEqual([]);
    expect(await h.repos.store.daily('2026-11-30')).toBeUndefined();
  });

  it('a 403 marks that subscriber inactive and the fan-out continues to everyone else', async () => {
    h = await startBroadcastHarness();
    const ids = await addSubscribers(h.repos, 10, { firstId: 850_001, role: 'resident' });
    const blocked = [ids[2]!, ids[7]!];
    for (const id of blocked) h.api.blockChat(id);
    const done = nextDone(h.events, 'broadcast');
    await enqueueDailyBroadcast(h.app.queue, h.today);
    expect(await done).toMatchObject({ total: 10, sent: 8, blocked: 2, remaining: 0 });
    for (const id of ids) expect(sendsTo(id)).toHaveLength(blocked.includes(id) ? 0 : 1);
    for (const id of blocked) expect((await h.repos.subscribers.get(id))?.active).toBe(false);
    expect(await h.repos.subscribers.activeCounts()).toEqual({ operator: 0, resident: 8 });
  });
});
