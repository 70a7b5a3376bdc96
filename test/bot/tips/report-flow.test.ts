import { afterEach, describe, expect, it } from 'vitest';
import { inlineButtons } from '../../support/bot-harness.ts';
import {
  has, nextTo, press, STAFF_GROUP, startTipsHarness, submit, textOf, toDescription, walkToSummary, type TipsHarness,
} from '../../support/tips-harness.ts';

const CHAT = 5101;
let h: TipsHarness;
afterEach(async () => h?.stop());
const tipCount = async (): Promise<number> =>
  Number((await h.app.database.db.selectFrom('tips').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

describe('reporting a tip, step by step', { timeout: 60_000 }, () => {
  it('walks area → practice → description → town → address → photos → anonymous → summary, and acknowledges a stored tip', async () => {
    h = await startTipsHarness();
    const summary = await walkToSummary(h.api, CHAT, { address: '龙溪街道某小区3栋', photos: 2 });
    expect(textOf(summary)).toContain('情况：楼道、楼梯间、门厅停放或充电电动自行车');
    expect(textOf(summary)).toContain('镇街：龙溪街道');
    expect(textOf(summary)).toContain('照片：2 张');
    expect(textOf(summary)).toContain('方式：匿名');
    const card = nextTo(h.api, STAFF_GROUP);
    const { ack, tracking } = await submit(h.api, CHAT, summary);
    expect(tracking).toMatch(/^JB\d{8}-0001$/);
    expect(textOf(ack)).toContain('/mytips');
    // The acknowledgement is only ever sent for a committed tip.
    const row = await h.app.database.db.selectFrom('tips').selectAll().where('tracking_no', '=', tracking).executeTakeFirstOrThrow();
    expect(row.address).toBe('龙溪街道某小区3栋');
    expect(JSON.parse(row.photos)).toHaveLength(2);
    // Staff get the card, then the photos by file_id as replies to it.
    const posted = await card;
    expect(textOf(posted)).toContain(tracking);
    const photos = await h.api.waitForCalls(2, (c) => c.method === 'sendPhoto' && c.ok);
    expect(photos.map((c) => c.params.photo)).toEqual(JSON.parse(row.photos));
  });

  it('the 我要举报 menu entry starts the same flow; /report in a group points to a private chat', async () => {
    h = await startTipsHarness();
    const first = nextTo(h.api, CHAT, has('第 1 步'));
    h.api.sendText(CHAT, '我要举报');
    const m = await first;
    expect(inlineButtons(m).map((b) => b.text)).toEqual(expect.arrayContaining(['🔥 消防安全（住宅和商铺）', '❓ 其他（清单里没有）', '✖️ 取消']));
    const group = { id: -100555, type: 'supergroup' as const, title: '小区群' };
    const reply = nextTo(h.api, group.id);
    h.api.sendGroupText(group, '/report');
    expect(textOf(await reply)).toContain('私聊');
  });

  it('pages through an area\'s practices and offers "other"; back returns to the previous step; cancel stores nothing', async () => {
    h = await startTipsHarness();
    let next = nextTo(h.api, CHAT, has('第 1 步'));
    h.api.sendText(CHAT, '/report');
    const area = await next;
    const fire = inlineButtons(area).find((b) => b.data.endsWith(':fire'))!.data;
    next = nextTo(h.api, CHAT, has('第 1/2 页'));
    press(h.api, CHAT, area, 'gas');
    const page1 = await next;
    expect(inlineButtons(page1).filter((b) => b.data.includes(':gas-'))).toHaveLength(6);
    next = nextTo(h.api, CHAT, has('第 2/2 页'));
    press(h.api, CHAT, page1, '!p1');
    const page2 = await next;
    expect(inlineButtons(page2).filter((b) => b.data.includes(':gas-'))).toHaveLength(2);
    next = nextTo(h.api, CHAT, has('第 1 步'));
    press(h.api, CHAT, page2, '!back');
    const again = await next;
    next = nextTo(h.api, CHAT, has('第 3 步'));
    press(h.api, CHAT, again, 'other');
    const desc = await next;
    expect(textOf(desc)).toContain('其他情况');
    next = nextTo(h.api, CHAT, has('已取消'));
    press(h.api, CHAT, desc, '!cancel');
    await next;
    // Buttons of the cancelled report are stale now.
    h.api.pressButton(CHAT, area.message_id, fire);
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('过期'));
    expect(await tipCount()).toBe(0);
  });

  it('checks sizes and kinds: short and long descriptions, a sticker, a 4th photo, a too-long address', async () => {
    h = await startTipsHarness();
    let next = toDescription(h.api, CHAT);
    await next;
    for (const [input, reply] of [['太短', '太短'], ['啊'.repeat(1001), '1001 字'], [null, '文字']] as const) {
      next = nextTo(h.api, CHAT, has(reply));
      if (input === null) h.api.sendSticker(CHAT);
      else h.api.sendText(CHAT, input);
      await next;
    }
    next = nextTo(h.api, CHAT, has('第 4 步'));
    h.api.sendText(CHAT, '路边<b>小卖部</b> & 加油站旁边私自卖散装汽油 <script>x</script>');
    await next;
    next = nextTo(h.api, CHAT, has('详细地址'));
    h.api.sendText(CHAT, '回兴');
    await next;
    next = nextTo(h.api, CHAT, has('太长'));
    h.api.sendText(CHAT, '路'.repeat(201));
    await next;
    next = nextTo(h.api, CHAT, has('第 5 步'));
    h.api.sendLocation(CHAT, 29.7123, 106.6321);
    await next;
    for (let i = 1; i <= 3; i++) {
      next = nextTo(h.api, CHAT, has(`第 ${i} 张`));
      h.api.sendPhoto(CHAT);
      await next;
    }
    next = nextTo(h.api, CHAT, has('最多只能发 3 张'));
    h.api.sendPhoto(CHAT);
    const limit = await next;
    expect(limit).toBeDefined();
    const photoMsg = h.api.sent.filter((m) => m.chat_id === CHAT && textOf(m).includes('第 3 张')).at(-1)!;
    next = nextTo(h.api, CHAT, has('第 6 步'));
    press(h.api, CHAT, photoMsg, '!done');
    const ident = await next;
    next = nextTo(h.api, CHAT, has('请确认'));
    press(h.api, CHAT, ident, '!anon');
    const summary = await next;
    // Typed markup is shown as the characters typed, never interpreted.
    expect(textOf(summary)).toContain('路边<b>小卖部</b> & 加油站旁边私自卖散装汽油 <script>x</script>');
    expect(textOf(summary)).toContain('镇街：回兴街道');
    expect(textOf(summary)).toContain('已发送位置');
    const card = nextTo(h.api, STAFF_GROUP);
    await submit(h.api, CHAT, summary);
    const staff = await card;
    expect(textOf(staff)).toContain('<b>小卖部</b> & 加油站旁边私自卖散装汽油 <script>x</script>');
    expect(textOf(staff)).toContain('照片：3 张');
    expect(textOf(staff)).toContain('29.71230, 106.63210');
  });

  it('a double-tapped confirm button and a redelivered confirm update create exactly one tip', async () => {
    h = await startTipsHarness();
    const summary = await walkToSummary(h.api, CHAT);
    const data = inlineButtons(h.api.getMessage(CHAT, summary.message_id)).find((b) => b.data.endsWith('!submit'))!.data;
    const ack = nextTo(h.api, CHAT, has('举报已收到'));
    const before = h.api.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    const u = h.api.pressButton(CHAT, summary.message_id, data);
    h.api.pressButton(CHAT, summary.message_id, data);
    await ack;
    await h.api.waitForCalls(before + 2, 'answerCallbackQuery');
    h.api.redeliver(u.update_id);
    h.api.pressButton(CHAT, summary.message_id, data);
    // The redelivered update is not answered at all; the third press is.
    await h.api.waitForCalls(before + 3, 'answerCallbackQuery');
    expect(await tipCount()).toBe(1);
    expect(h.api.messagesTo(CHAT).filter((m) => textOf(m).includes('举报已收到'))).toHaveLength(1);
    expect(h.api.callbackAnswers.some((a) => (a.text ?? '').includes('已经提交过了'))).toBe(true);
  });

  it('an emergency typed during the report is answered first with the number to call', async () => {
    h = await startTipsHarness();
    let next = toDescription(h.api, CHAT);
    await next;
    const emergency = nextTo(h.api, CHAT, has('119'));
    const town = nextTo(h.api, CHAT, has('第 4 步'));
    h.api.sendText(CHAT, '着火了！隔壁仓库着火了');
    const e = await emergency;
    const t = await town;
    expect(h.api.sent.indexOf(e)).toBeLessThan(h.api.sent.indexOf(t));
    // Once, not once from the emergency check and again from the report flow.
    expect(h.api.messagesTo(CHAT).filter((m) => (m.plain_text ?? '').includes('🚨'))).toHaveLength(1);
  });

  it('limits a reporter to 5 tips a day with a clear message', async () => {
    h = await startTipsHarness();
    for (let i = 0; i < 5; i++) {
      const summary = await walkToSummary(h.api, CHAT, { town: ['longxi', 'huixing', 'yuelai', 'lianglu', 'muer'][i]!, description: `第${i}条：安全出口被铁链锁住了${i}` });
      await submit(h.api, CHAT, summary);
    }
    const next = nextTo(h.api, CHAT, has('每天的上限'));
    h.api.sendText(CHAT, '/report');
    await next;
    expect(await tipCount()).toBe(5);
  });
});
