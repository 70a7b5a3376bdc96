import { afterEach, describe, expect, it } from 'vitest';
import {
  has, nextTo, press, STAFF_GROUP, startTipsHarness, submit, textOf, toDescription, walkToSummary, type TipsHarness,
} from '../../support/tips-harness.ts';

const CHAT = 5111;
let h: TipsHarness;
afterEach(async () => h?.stop());

describe('real-name reporting', { timeout: 60_000 }, () => {
  it('a real-name report stores the contact encrypted and the staff card never shows who reported', async () => {
    h = await startTipsHarness();
    const summary = await walkToSummary(h.api, CHAT, { realName: { name: '李明', phone: '139 1234 5678' }, from: { first_name: '李', last_name: '明', username: 'liming_cq' } });
    expect(textOf(summary)).toContain('实名（李明，139****5678）');
    const card = nextTo(h.api, STAFF_GROUP);
    const { tracking } = await submit(h.api, CHAT, summary);
    const text = textOf(await card);
    expect(text).toContain(tracking);
    expect(text).toContain('实名（点「查看实名」');
    for (const secret of ['李明', '13912345678', '5678', 'liming_cq', String(CHAT)]) expect(text).not.toContain(secret);
    const link = await h.app.database.db.selectFrom('tip_reporters').selectAll().executeTakeFirstOrThrow();
    expect(link.contact_enc).toMatch(/^v1\./);
    // The draft in the session never held the contact in clear either.
    const sessions = await h.app.database.db.selectFrom('sessions').select('value').execute();
    expect(sessions.map((s) => s.value).join()).not.toMatch(/13912345678|李明/);
  });

  it('without DATA_KEY real-name reporting is refused with a clear message and anonymous still works', async () => {
    h = await startTipsHarness({ DATA_KEY: '' });
    let next = toDescription(h.api, CHAT);
    await next;
    next = nextTo(h.api, CHAT, has('第 4 步'));
    h.api.sendText(CHAT, '河边有人用电瓶打鱼，很危险');
    const town = await next;
    next = nextTo(h.api, CHAT, has('详细地址'));
    press(h.api, CHAT, town, 'other');
    const addr = await next;
    next = nextTo(h.api, CHAT, has('第 5 步'));
    press(h.api, CHAT, addr, '!skip');
    const photos = await next;
    next = nextTo(h.api, CHAT, has('第 6 步'));
    press(h.api, CHAT, photos, '!skip');
    const ident = await next;
    next = nextTo(h.api, CHAT, has('实名举报暂时无法使用'));
    press(h.api, CHAT, ident, '!real');
    expect(textOf(await next)).toContain('匿名举报');
    next = nextTo(h.api, CHAT, has('请确认'));
    press(h.api, CHAT, ident, '!anon');
    const { tracking } = await submit(h.api, CHAT, await next);
    expect(tracking).toMatch(/^JB/);
  });
});
