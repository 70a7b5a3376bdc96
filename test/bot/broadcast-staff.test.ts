import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays } from '../../core/broadcast/dates.ts';
import { enqueueDailyBroadcast } from '../../jobs/broadcast/processors.ts';
import { inlineButtons } from '../support/bot-harness.ts';
import { addSubscribers, nextDone, STAFF_ID, startBroadcastHarness, type BroadcastHarness } from '../support/broadcast-harness.ts';

const RESIDENT = 7201;
let h: BroadcastHarness;
beforeEach(async () => {
  h = await startBroadcastHarness();
});
afterEach(async () => h?.stop());

async function ask(chat: number, text: string, expectText: string) {
  const before = h.api.messagesTo(chat).length;
  h.api.sendText(chat, text);
  return h.api.waitFor((m) => m.chat_id === chat && h.api.messagesTo(chat).indexOf(m) >= before && (m.plain_text ?? '').includes(expectText));
}

async function press(chat: number, messageId: number, label: string, expectText: string) {
  const before = h.api.messagesTo(chat).length;
  h.api.pressButtonByText(chat, messageId, label);
  return h.api.waitFor((m) => m.chat_id === chat && h.api.messagesTo(chat).indexOf(m) >= before && (m.plain_text ?? '').includes(expectText));
}

const ALERT_TEXT = '暴雨红色预警：今晚有特大暴雨，请低洼地带和地质灾害隐患点附近的群众立即转移。';

describe('staff: urgent alerts, urgent scripts, status', () => {
  it('non-staff /alert, /urgent_script and /broadcast_status are refused, and a forged confirm does nothing', async () => {
    await addSubscribers(h.repos, 3, { firstId: 860_001, role: 'resident' });
    await ask(RESIDENT, `/alert ${ALERT_TEXT}`, '仅限工作人员');
    await ask(RESIDENT, `/urgent_script ${h.today}`, '仅限工作人员');
    await ask(RESIDENT, '/broadcast_status', '仅限工作人员');
    const m = await ask(RESIDENT, '/help', '怎么用');
    h.api.pressButton(RESIDENT, m.message_id, 'v1:bk:ay:0123abcd');
    await h.api.waitForCalls(1, 'answerCallbackQuery');
    expect(h.api.callbackAnswers[0]?.text).toContain('过期');
    expect(await h.repos.store.latestAlerts(5)).toEqual([]);
    expect(h.api.sent.filter((s) => (s.plain_text ?? '').includes('暴雨红色预警'))).toEqual([]);
  });

  it('/alert with confirm reaches every operator and resident, ahead of the daily fan-out already running', async () => {
    const operators = await addSubscribers(h.repos, 10, { firstId: 870_001, role: 'operator' });
    const residents = await addSubscribers(h.repos, 30, { firstId: 880_001, role: 'resident' });
    const everyone = [...operators, ...residents];
    const dailyDone = nextDone(h.events, 'broadcast');
    await enqueueDailyBroadcast(h.app.queue, h.today);
    await h.api.waitForCalls(5, 'sendMessage');

    const preview = await ask(STAFF_ID, `/alert ${ALERT_TEXT}`, '确认发送吗');
    expect(preview.plain_text).toContain('10 位广播员和 30 位居民');
    expect(inlineButtons(preview).map((b) => b.text)).toEqual(['🚨 立即发送', '取消']);
    const alertDone = nextDone(h.events, 'broadcast-alert');
    await press(STAFF_ID, preview.message_id, '🚨 立即发送', '紧急通知已开始发送');
    await Promise.all([alertDone, dailyDone]);

    const isAlert = (text?: string) => (text ?? '').includes('紧急通知');
    for (const id of everyone) {
      const got = h.api.messagesTo(id);
      expect(got.filter((m) => isAlert(m.plain_text))).toHaveLength(1);
      expect(got.filter((m) => !isAlert(m.plain_text))).toHaveLength(1);
    }
    // Ahead of everything else: once the first alert went out, the daily fan-out waited (at most the one
    // send already in flight slipped through) until the last alert was out.
    const toSubscribers = h.api.sent.filter((m) => everyone.includes(m.chat_id));
    const first = toSubscribers.findIndex((m) => isAlert(m.plain_text));
    const last = toSubscribers.findLastIndex((m) => isAlert(m.plain_text));
    const dailyBetween = toSubscribers.slice(first, last + 1).filter((m) => !isAlert(m.plain_text));
    expect(dailyBetween.length).toBeLessThanOrEqual(1);
    expect(toSubscribers.slice(last + 1).length).toBeGreaterThan(0); // the daily broadcast was still going

    // Pressing the confirm button again does not send a second alert.
    h.api.pressButtonByText(STAFF_ID, preview.message_id, '🚨 立即发送');
    await h.api.waitForCalls(2, 'answerCallbackQuery');
    expect(h.api.callbackAnswers.at(-1)?.text).toContain('过期');
    expect(await h.repos.store.latestAlerts(5)).toHaveLength(1);

    const status = await ask(STAFF_ID, '/broadcast_status', '广播进度');
    expect(status.plain_text).toContain('今日广播（12月1日）：已发送 40 · 失败 0 · 已屏蔽 0 · 未确认 0 · 待发送 0 · 共 40 ✅ 已完成');
    expect(status.plain_text).toMatch(/紧急通知 #\d+（\d+月\d+日 \d\d:\d\d）：已发送 40/);
    expect(status.plain_text).toContain('广播员 10 位，居民 30 位');
  });

  it('/urgent_script replaces the day\'s script for readers and for the broadcast; once delivered it cannot change', async () => {
    const [operator] = await addSubscribers(h.repos, 1, { firstId: 890_001, role: 'operator', townId: 'luoqi' });
    const [resident] = await addSubscribers(h.repos, 1, { firstId: 890_101, role: 'resident' });
    await ask(STAFF_ID, `/urgent_script ${addDays(h.today, -1)}`, '已经过去');
    await ask(STAFF_ID, '/urgent_script 2026-02-30', '不是有效的日期');
    await ask(STAFF_ID, `/urgent_script ${h.today}`, '紧急广播稿全文');
    await ask(STAFF_ID, '字'.repeat(3001), '1 到 3000 字');
    const script = '各位乡亲请注意，今天上午长江洛碛段水位快速上涨。\n\n请不要到江边钓鱼、游泳，住在江边的群众听从村干部安排，做好转移准备。';
    const preview = await ask(STAFF_ID, script, '确认设置吗');
    await press(STAFF_ID, preview.message_id, '✅ 确认设置', '已设置');

    const read = await h.deps.scripts.forDate(h.today, '洛碛镇');
    expect(read.title).toBe('紧急广播稿（2026年12月1日）');
    expect(read.text).toBe(script);

    const done = nextDone(h.events, 'broadcast');
    await enqueueDailyBroadcast(h.app.queue, h.today);
    await done;
    expect(h.api.messagesTo(operator!)[0]?.plain_text).toContain('长江洛碛段水位快速上涨');
    expect(h.api.messagesTo(resident!)[0]?.plain_text).toContain('今日紧急提醒');
    await ask(STAFF_ID, `/urgent_script ${h.today}`, '已经发出，不能再更改');
    expect((await h.deps.scripts.forDate(h.today)).text).toBe(script);
  });

  it('/urgent_script … 撤销 brings back the generated script; /cancel ends a started alert', async () => {
    const tomorrow = addDays(h.today, 1);
    const generated = await h.deps.scripts.forDate(tomorrow);
    await ask(STAFF_ID, `/urgent_script ${tomorrow}`, '紧急广播稿全文');
    const preview = await ask(STAFF_ID, '明天全区停电检修，请大家提前做好准备。', '确认设置吗');
    await press(STAFF_ID, preview.message_id, '✅ 确认设置', '已设置');
    expect((await h.deps.scripts.forDate(tomorrow)).theme.id).toBe('urgent');
    await ask(STAFF_ID, `/urgent_script ${tomorrow} 撤销`, '已撤销');
    expect((await h.deps.scripts.forDate(tomorrow)).text).toBe(generated.text);

    await ask(STAFF_ID, '/alert', '紧急通知的内容');
    await ask(STAFF_ID, '/cancel', '已取消');
    await ask(STAFF_ID, '灭火器怎么用', '来源：'); // the next message is a question again, not an alert
    expect(await h.repos.store.latestAlerts(5)).toEqual([]);
  });
});
