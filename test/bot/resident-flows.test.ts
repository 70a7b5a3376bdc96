import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFloodControl } from '../../core/rate/flood-control.ts';
import { inlineButtons, startBotHarness, type BotHarness } from '../support/bot-harness.ts';

const CHAT = 5001;
let h: BotHarness;
afterEach(async () => h?.stop());

describe('resident flows against the fake Bot API', () => {
  beforeEach(async () => {
    h = await startBotHarness();
  });

  it('/start introduces the bot, the privacy note and the five-entry menu', async () => {
    h.api.sendText(CHAT, '/start');
    const m = await h.api.waitFor('平安渝北');
    expect(m.plain_text).toContain('隐私说明');
    expect(m.plain_text).toContain('119');
    const keyboard = (m.reply_markup?.keyboard ?? []) as { text: string }[][];
    expect(keyboard.flat().map((b) => (typeof b === 'string' ? b : b.text))).toEqual(['安全问答', '我要举报', '志愿者', '今日广播', '帮助']);
  });

  it('every menu entry is built now: 志愿者 answers with volunteer sign-up, not "建设中"', async () => {
    h.api.sendText(CHAT, '志愿者');
    const m = await h.api.waitFor('志愿者');
    expect(m.plain_text).not.toContain('建设中');
  });

  it('answers a dialect question with its source, related topics and feedback buttons', async () => {
    h.api.sendText(CHAT, '电马儿可不可以推到屋头充电');
    const m = await h.api.waitFor('来源：');
    expect(m.plain_text).toMatch(/楼道|室内|家/);
    const buttons = inlineButtons(m);
    const topics = buttons.filter((b) => b.data.startsWith('v1:t:'));
    expect(topics.length).toBeGreaterThanOrEqual(1);
    expect(topics.length).toBeLessThanOrEqual(3);
    expect(buttons.map((b) => b.text)).toEqual(expect.arrayContaining(['👍 有用', '👎 没用']));

    // A related topic opens that curated entry.
    const before = h.api.messagesTo(CHAT).length;
    h.api.pressButton(CHAT, m.message_id, topics[0]!.data);
    await h.api.waitFor((s) => s.chat_id === CHAT && h.api.messagesTo(CHAT).indexOf(s) >= before && (s.plain_text ?? '').includes('来源：'));

    // 👍 is recorded and acknowledged.
    const up = buttons.find((b) => b.text.startsWith('👍'))!;
    h.api.pressButton(CHAT, m.message_id, up.data);
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('谢谢'));
  });

  it('详细 opens the longer section an answer left out; a question about that detail gets it at once', async () => {
    h.api.sendText(CHAT, '灭火器怎么用');
    const m = await h.api.waitFor('来源：');
    expect(m.plain_text).not.toContain('压力表');
    const more = inlineButtons(m).find((b) => b.text === '📖 详细');
    expect(more?.data).toBe('v1:m:fire-extinguisher');
    h.api.pressButton(CHAT, m.message_id, more!.data);
    const detail = await h.api.waitFor('压力表');
    expect(detail.plain_text).toContain('提、拔、握、压');

    h.api.sendText(CHAT, '灭火器压力表的指针在黄区正常不');
    const direct = await h.api.waitFor((s) => s.chat_id === CHAT && s !== detail && (s.plain_text ?? '').includes('黄区'));
    expect(inlineButtons(direct).some((b) => b.text === '📖 详细')).toBe(false);
  });

  it('an emergency is answered with the number first', async () => {
    h.api.sendText(CHAT, '屋头着火了 快来人');
    const m = await h.api.waitFor('紧急');
    const firstLine = (m.plain_text ?? '').split('\n')[0]!;
    expect(firstLine).toContain('119');
    expect(h.api.messagesTo(CHAT)[0]).toBe(m);
  });

  it('says honestly when it does not know, with close topics and the hotline', async () => {
    h.api.sendText(CHAT, '火星上有没有外星人');
    const m = await h.api.waitFor('没有把握');
    expect(m.plain_text).toContain('12350');
  });

  it('a subject it does not cover gets where to ask instead, without safety topics', async () => {
    h.api.sendText(CHAT, '这个月燃气费咋个交');
    const m = await h.api.waitFor('燃气公司');
    expect(inlineButtons(m).map((b) => b.text).filter((t) => !/^👍|^👎/.test(t))).toEqual([]);
  });

  it('forged, stale and foreign callback data get "expired" and nothing else', async () => {
    h.api.sendText(CHAT, '灭火器怎么用');
    const m = await h.api.waitFor('来源：');
    const sentBefore = h.api.sent.length;
    for (const data of ['v1:t:no-such-entry', 'v0:t:fire-oil-pan', 'garbage', 'v1:f:999999:u', 'v1:f:1:x', 'v1:t:../../etc', 'v1:m:no-such-entry']) {
      h.api.pressButton(CHAT, m.message_id, data);
    }
    await h.api.waitForCalls(7, 'answerCallbackQuery');
    const answers = h.api.callbackAnswers.map((a) => a.text);
    expect(answers).toEqual(Array(7).fill(expect.stringContaining('已过期')));
    expect(h.api.sent.length).toBe(sentBefore);
  });

  it('feedback forged from another chat on someone else\'s question changes nothing', async () => {
    h.api.sendText(CHAT, '灭火器怎么用');
    const m = await h.api.waitFor('来源：');
    const down = inlineButtons(m).find((b) => b.text.startsWith('👎'))!;
    const other = CHAT + 1;
    h.api.sendText(other, '油锅起火怎么办');
    const theirs = await h.api.waitFor((s) => s.chat_id === other);
    h.api.pressButton(other, theirs.message_id, down.data, { id: other });
    await h.api.waitForCalls(1, 'answerCallbackQuery');
    expect(h.api.callbackAnswers[0]?.text).toContain('过期');
    // The owner's own 👎 still works and reaches the editors' backlog.
    h.api.pressButton(CHAT, m.message_id, down.data);
    await h.api.waitForCalls(2, 'answerCallbackQuery');
    const misses = await h.deps.questionLog.misses();
    expect(misses.map((x) => x.question)).toEqual(['灭火器怎么用']);
  });

  it('a redelivered update has no second effect', async () => {
    const u = h.api.sendText(CHAT, '燃气热水器能装在卫生间吗');
    await h.api.waitFor('来源：');
    h.api.redeliver(u.update_id);
    h.api.sendText(CHAT, '/help');
    await h.api.waitFor('怎么用');
    expect(h.api.messagesTo(CHAT).filter((s) => (s.plain_text ?? '').includes('来源：'))).toHaveLength(1);
  });

  it('non-text messages get a helpful reply; unknown commands point to /help', async () => {
    h.api.sendSticker(CHAT);
    await h.api.waitFor('只能看懂文字');
    h.api.sendText(CHAT, '/frobnicate');
    await h.api.waitFor('/help');
  });

  it('in a group it answers only when addressed', async () => {
    const group = { id: -100777, type: 'supergroup' as const, title: '楼栋群' };
    h.api.sendGroupText(group, '今天谁去买菜');
    h.api.sendGroupText(group, `@${h.api.botUser.username} 灭火器怎么用`);
    const m = await h.api.waitFor('来源：');
    expect(m.chat_id).toBe(group.id);
    expect(h.api.messagesTo(group.id)).toHaveLength(1);
  });

  it('bad input gets a clear Chinese reply and the bot keeps working', async () => {
    h.api.sendText(CHAT, '😀😀😀');
    await h.api.waitFor('文字');
    h.api.sendText(CHAT, '啊'.repeat(4000));
    await h.api.waitFor('有点长');
    h.api.sendText(CHAT, 'hello, fire?');
    await h.api.waitFor('中文');
    h.api.sendText(CHAT, '灭火器怎么用');
    await h.api.waitFor('来源：');
  });

  it('a 500 on a reply is retried: the answer arrives and the next update works', async () => {
    h.api.injectError({ method: 'sendMessage', chatId: CHAT, times: 1, errorCode: 500, description: 'Internal Server Error' });
    h.api.sendText(CHAT, '灭火器怎么用');
    await h.api.waitFor('来源：');
    h.api.sendText(CHAT, '油锅起火怎么办');
    await h.api.waitFor((m) => m.chat_id === CHAT && (m.plain_text ?? '').includes('119'));
    expect(h.api.sent.filter((m) => (m.plain_text ?? '').includes('出了点问题'))).toHaveLength(0);
  });
});

describe('flood control', () => {
  it('past the limit sends one notice, then stays silent', async () => {
    h = await startBotHarness({}, { flood: createFloodControl(3, 60_000) });
    const questions = ['灭火器怎么用', '油锅起火怎么办', '燃气热水器能装在卫生间吗', '电动车能在楼道充电吗', '暴雨红色预警是什么意思', '被狗咬了怎么办'];
    for (const q of questions) h.api.sendText(CHAT, q);
    const answers = () => h.api.messagesTo(CHAT).filter((m) => (m.plain_text ?? '').includes('来源：'));
    await h.api.waitFor((m) => m.chat_id === CHAT && answers().length >= 3);
    await h.api.waitFor('太快');
    // Polling fetches the next batch only after this one is handled, so once a later update is
    // answered, the silenced ones have been handled too.
    h.api.sendText(CHAT + 1, '灭火器怎么用');
    await h.api.waitFor((m) => m.chat_id === CHAT + 1);
    const toChat = h.api.messagesTo(CHAT);
    expect(toChat.filter((m) => (m.plain_text ?? '').includes('太快'))).toHaveLength(1);
    expect(toChat.filter((m) => (m.plain_text ?? '').includes('来源：'))).toHaveLength(3);
  });
});
