import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inlineButtons } from '../support/bot-harness.ts';
import { startBroadcastHarness, type BroadcastHarness } from '../support/broadcast-harness.ts';

const CHAT = 7101;
let h: BroadcastHarness;
beforeEach(async () => {
  h = await startBroadcastHarness();
});
afterEach(async () => h?.stop());

/** Sends a command and returns the bot's reply that contains `expect`. */
async function ask(chat: number, text: string, expectText: string | RegExp) {
  const before = h.api.messagesTo(chat).length;
  h.api.sendText(chat, text);
  return h.api.waitFor((m) => m.chat_id === chat && h.api.messagesTo(chat).indexOf(m) >= before && (typeof expectText === 'string' ? (m.plain_text ?? '').includes(expectText) : expectText.test(m.plain_text ?? '')));
}

async function press(chat: number, messageId: number, label: string, expectText: string) {
  const before = h.api.messagesTo(chat).length;
  h.api.pressButtonByText(chat, messageId, label);
  return h.api.waitFor((m) => m.chat_id === chat && h.api.messagesTo(chat).indexOf(m) >= before && (m.plain_text ?? '').includes(expectText));
}

describe('/subscribe and /unsubscribe', () => {
  it('an operator chooses 广播员, a town and types a village; the subscription is stored before the confirmation', async () => {
    const roles = await ask(CHAT, '/subscribe', '请选择订阅方式');
    expect(inlineButtons(roles).map((b) => b.text)).toEqual(['📢 广播员（完整广播稿）', '🏠 居民（每日安全小贴士）']);
    const towns = await press(CHAT, roles.message_id, '📢 广播员（完整广播稿）', '请选择您所在的镇街');
    expect(inlineButtons(towns)).toHaveLength(22);
    await press(CHAT, towns.message_id, '石船镇', '村（社区）名称');
    const done = await ask(CHAT, '双塘村', '已订阅');
    expect(done.plain_text).toContain('广播员 · 石船镇 · 双塘村');
    expect(done.plain_text).toContain('06:30');
    expect(await h.repos.subscribers.get(CHAT)).toMatchObject({ role: 'operator', townId: 'shichuan', village: '双塘村', active: true });
  });

  it('a village name that is too long is refused with a clear message, and the flow waits for a good one', async () => {
    const roles = await ask(CHAT, '/subscribe', '请选择订阅方式');
    const towns = await press(CHAT, roles.message_id, '📢 广播员（完整广播稿）', '镇街');
    await press(CHAT, towns.message_id, '龙兴镇', '村（社区）名称');
    await ask(CHAT, '村'.repeat(31), '1 到 30 个字');
    expect(await h.repos.subscribers.get(CHAT)).toBeUndefined();
    const done = await ask(CHAT, '跳过', '已订阅');
    expect(done.plain_text).toContain('广播员 · 龙兴镇');
    expect((await h.repos.subscribers.get(CHAT))?.village).toBeNull();
  });

  it('a resident chooses 居民 and a town; /unsubscribe removes the subscription', async () => {
    const roles = await ask(CHAT, '/subscribe', '请选择订阅方式');
    const towns = await press(CHAT, roles.message_id, '🏠 居民（每日安全小贴士）', '镇街');
    const done = await press(CHAT, towns.message_id, '两路街道', '已订阅每日安全小贴士');
    expect(done.plain_text).toContain('两路街道');
    expect(await h.repos.subscribers.get(CHAT)).toMatchObject({ role: 'resident', townId: 'lianglu' });
    await ask(CHAT, '/unsubscribe', '已退订');
    expect(await h.repos.subscribers.get(CHAT)).toBeUndefined();
    await ask(CHAT, '/unsubscribe', '没有订阅');
  });

  it('in a group only an administrator may subscribe or unsubscribe, or press the buttons', async () => {
    const group = { id: -1_001_234_567_891, type: 'supergroup' as const, title: '龙塘村群' };
    const admin = { id: 5001, first_name: '村支书' };
    const member = { id: 5002, first_name: '村民' };
    h.api.setChatAdmins(group.id, [admin.id]);
    const inGroup = (text: string) => (m: { chat_id?: number | string; plain_text?: string }) => m.chat_id === group.id && (m.plain_text ?? '').includes(text);
    h.api.sendGroupText(group, '/subscribe', member);
    await h.api.waitFor(inGroup('只有群管理员'));
    h.api.sendGroupText(group, '/subscribe', admin);
    const roles = await h.api.waitFor(inGroup('请选择订阅方式'));
    h.api.pressButtonByText(group.id, roles.message_id, '🏠 居民（每日安全小贴士）', member);
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('只有群管理员'));
    h.api.pressButtonByText(group.id, roles.message_id, '🏠 居民（每日安全小贴士）', admin);
    const towns = await h.api.waitFor(inGroup('镇街'));
    h.api.pressButtonByText(group.id, towns.message_id, '两路街道', admin);
    await h.api.waitFor(inGroup('已订阅'));
    h.api.sendGroupText(group, '/unsubscribe', member);
    await h.api.waitFor((m) => inGroup('只有群管理员')(m) && m.message_id > towns.message_id);
    expect(await h.repos.subscribers.get(group.id)).toMatchObject({ role: 'resident', townId: 'lianglu' });
  });

  it('a village broadcast group subscribes as an operator by replying to the bot\'s question', async () => {
    const group = { id: -1_001_234_567_890, type: 'supergroup' as const, title: '双塘村广播群' };
    h.api.sendGroupText(group, '/subscribe');
    const roles = await h.api.waitFor((m) => m.chat_id === group.id && (m.plain_text ?? '').includes('请选择订阅方式'));
    const towns = await press(group.id, roles.message_id, '📢 广播员（完整广播稿）', '镇街');
    const prompt = await press(group.id, towns.message_id, '石船镇', '村（社区）名称');
    expect(prompt.reply_markup).toMatchObject({ force_reply: true });
    h.api.sendUserMessage(group, { text: '双塘村', reply_to_message: prompt.message });
    await h.api.waitFor((m) => m.chat_id === group.id && (m.plain_text ?? '').includes('已订阅'));
    expect(await h.repos.subscribers.get(group.id)).toMatchObject({ chatType: 'supergroup', role: 'operator', townId: 'shichuan', village: '双塘村' });
  });

  it('/delete_me lists the subscription and deletes it with the record of deliveries', async () => {
    await h.repos.subscribers.subscribe({ chatId: CHAT, chatType: 'private', role: 'operator', townId: 'gulu', village: '古路村' });
    const preview = await ask(CHAT, '/delete_me', '每日推送订阅（广播员）及推送记录将被删除');
    h.api.pressButton(CHAT, preview.message_id, 'v1:dm:y');
    await h.api.waitFor('已删除您的每日推送订阅和推送记录');
    expect(await h.repos.subscribers.get(CHAT)).toBeUndefined();
  });

  it('a forged town button is answered "expired" and stores nothing', async () => {
    const roles = await ask(CHAT, '/subscribe', '请选择订阅方式');
    h.api.pressButton(CHAT, roles.message_id, 'v1:st:r:atlantis');
    h.api.pressButton(CHAT, roles.message_id, 'v1:st:x:longxing');
    await h.api.waitForCalls(2, 'answerCallbackQuery');
    expect(h.api.callbackAnswers.map((a) => a.text)).toEqual([expect.stringContaining('已过期'), expect.stringContaining('已过期')]);
    expect(await h.repos.subscribers.get(CHAT)).toBeUndefined();
  });
});
