import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import { inlineButtons } from '../../support/bot-harness.ts';
import { confirmDeleteMe, has, nextTo, press, signUp, startVolunteerHarness, textOf, walkSignUp, type VolunteerHarness } from '../../support/volunteer-harness.ts';

const CHAT = 6101;
let h: VolunteerHarness;
afterEach(async () => h?.stop());

const stored = (userId = CHAT) => h.deps.volunteers.volunteers.byUserId(userId, true);

/** Starts sign-up and accepts the consent; resolves with the name prompt. */
async function toName(chat = CHAT) {
  let next = nextTo(h.api, chat, has('个人信息告知'));
  h.api.sendText(chat, '/volunteer');
  const consent = await next;
  next = nextTo(h.api, chat, has('第 1 步'));
  press(h.api, chat, consent, '✅ 同意并开始');
  return next;
}

/** Sends something and expects the bot's next message to contain `expected`. */
async function reply(send: () => unknown, expected: string): Promise<void> {
  const m = nextTo(h.api, CHAT);
  send();
  expect(textOf(await m)).toContain(expected);
}

describe('volunteer sign-up', () => {
  it('consent says what, why, who sees it and how to withdraw; the summary shows every answer', async () => {
    h = await startVolunteerHarness();
    const consent = nextTo(h.api, CHAT, has('个人信息告知'));
    h.api.sendText(CHAT, '志愿者');
    const text = textOf(await consent);
    for (const part of ['姓名、手机号', '用途', '谁能看到', '/delete_me', '加密']) expect(text).toContain(part);

    const summary = await walkSignUp(h.api, CHAT, { name: '阿卜杜·热合曼', town: '木耳镇', skills: ['急救', '无人机'], availability: ['周末', '晚上'] });
    const s = textOf(summary);
    for (const part of ['阿卜杜·热合曼', '13812345678', '木耳镇', '双湖社区', '急救、无人机', '周末、晚上']) expect(s).toContain(part);
    expect(await stored()).toBeUndefined();
  });

  it('stores the volunteer before the confirmation is sent (a failed send is retried), with the phone encrypted at rest', async () => {
    h = await startVolunteerHarness();
    const summary = await walkSignUp(h.api, CHAT);
    // The first attempt at the confirmation fails (a 500): the volunteer is already stored, and the
    // send path retries, so the confirmation still arrives, once.
    h.api.injectError({ method: 'sendMessage', chatId: CHAT, times: 1, errorCode: 500, description: 'Internal Server Error' });
    const done = nextTo(h.api, CHAT, has('登记成功'));
    press(h.api, CHAT, summary, '✅ 确认提交');
    await done;
    expect(h.api.calls.filter((c) => c.method === 'sendMessage' && c.status === 500)).toHaveLength(1);
    const v = await stored();
    expect(v).toMatchObject({ name: '张三', phone: '13812345678', townId: 'lianglu', community: '双湖社区', skills: ['first-aid'], availability: ['anytime'] });
    // Nowhere in the database files (nor the session) is the number in clear.
    for (const f of fs.readdirSync(h.dataDir).filter((n) => n.includes('sqlite'))) {
      expect(fs.readFileSync(path.join(h.dataDir, f)).includes(Buffer.from('13812345678'))).toBe(false);
    }
    // Pressing again is answered, and still one volunteer, one confirmation.
    const answers = h.api.calls.filter((c) => c.method === 'answerCallbackQuery').length;
    press(h.api, CHAT, summary, '✅ 确认提交');
    await h.api.waitForCalls(answers + 1, 'answerCallbackQuery');
    expect(await h.deps.volunteers.volunteers.all()).toHaveLength(1);
    expect(h.api.messagesTo(CHAT).filter(has('登记成功'))).toHaveLength(1);
  });

  it('logs never contain the phone number or the name, even when a send fails and the error is logged', async () => {
    let logged = '';
    const sink = new Writable({ write(chunk, _enc, done) { logged += String(chunk); done(); } });
    h = await startVolunteerHarness({}, undefined, { logger: createLogger('trace', sink) });
    const summary = await walkSignUp(h.api, CHAT, { name: '欧阳娜娜' });
    const back = nextTo(h.api, CHAT, has('第 6 步'));
    press(h.api, CHAT, summary, '« 上一步');
    const avail = await back;
    // The summary (name and phone in its text) fails to send: telegraf's error carries that text.
    h.api.injectError({ method: 'sendMessage', chatId: CHAT, times: 1, errorCode: 400, description: 'Bad Request: test' });
    press(h.api, CHAT, avail, '完成 ✓');
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('出了点问题'));
    expect(logged).toContain('update failed');
    expect(logged).toContain('Bad Request: test');
    expect(logged).not.toContain('13812345678');
    expect(logged).not.toContain('欧阳娜娜');
  });

  it('a double-tapped 确认提交 registers once and confirms once', async () => {
    h = await startVolunteerHarness();
    const summary = await walkSignUp(h.api, CHAT);
    press(h.api, CHAT, summary, '✅ 确认提交');
    press(h.api, CHAT, summary, '✅ 确认提交');
    await h.api.waitForCalls(2, 'answerCallbackQuery');
    await h.api.waitFor(has('登记成功'));
    expect(await h.deps.volunteers.volunteers.all()).toHaveLength(1);
    expect(h.api.messagesTo(CHAT).filter(has('登记成功'))).toHaveLength(1);
  });

  it('bad answers get a clear message and the step is asked again; nothing is stored until 确认', async () => {
    h = await startVolunteerHarness();
    await toName();
    await reply(() => h.api.sendText(CHAT, '张'.repeat(5000)), '姓名太长了');
    await reply(() => h.api.sendText(CHAT, '😀😀😀'), '不能有表情');
    await reply(() => h.api.sendText(CHAT, '张三😀'), '不能有表情');
    await reply(() => h.api.sendText(CHAT, '李'), '姓名太短');
    await reply(() => h.api.sendSticker(CHAT), '需要文字回答');
    await reply(() => h.api.sendText(CHAT, '王小明'), '第 2 步');
    // Phone: invalid numbers, someone else's contact card, then the person's own card.
    await reply(() => h.api.sendText(CHAT, '12345'), '不是有效的大陆手机号');
    await reply(() => h.api.sendText(CHAT, '+1 415 555 0100'), '不是有效的大陆手机号');
    await reply(() => h.api.sendText(CHAT, '1381234567'), '不是有效的大陆手机号');
    await reply(() => h.api.sendContact(CHAT, { own: false, phone_number: '+8613900001111' }), '只能使用您本人的联系方式');
    await reply(() => h.api.sendUserMessage(CHAT, { contact: { phone_number: '+8613900001111', first_name: '李四', user_id: 4242 } }), '只能使用您本人的联系方式');
    await reply(() => h.api.sendSticker(CHAT), '需要文字回答');
    await reply(() => h.api.sendContact(CHAT, { phone_number: '+86 139 0000 2222' }), '已收到手机号 13900002222');
    await h.api.waitFor(has('第 3 步'));
    expect(await stored()).toBeUndefined();
  });

  it('a town not in the list, emoji-only and over-long text, and typed answers to button steps are refused', async () => {
    h = await startVolunteerHarness();
    await toName();
    await reply(() => h.api.sendText(CHAT, '王小明'), '第 2 步');
    await reply(() => h.api.sendText(CHAT, '+86 138-1234-5678'), '已收到手机号 13812345678');
    await h.api.waitFor(has('第 3 步'));
    // Town: not in the list (echo clipped and escaped), then typed by its short name.
    await reply(() => h.api.sendText(CHAT, '北京市朝阳区'), '没有找到「北京市朝阳区」');
    const long = nextTo(h.api, CHAT);
    h.api.sendText(CHAT, `<b>${'x'.repeat(5000)}`);
    const echo = textOf(await long);
    expect(echo).toContain(`没有找到「<b>${'x'.repeat(17)}…」`);
    expect(echo.length).toBeLessThan(200);
    await reply(() => h.api.sendText(CHAT, '两路'), '第 4 步');
    await reply(() => h.api.sendText(CHAT, '🏠🏠'), '不能只有表情');
    await reply(() => h.api.sendText(CHAT, '社'.repeat(41)), '最多 40 个字');
    const skills = nextTo(h.api, CHAT, has('第 5 步'));
    h.api.sendText(CHAT, '回兴社区');
    const sk = await skills;
    await reply(() => h.api.sendText(CHAT, '急救'), '请至少选择一项');
    // 完成 with nothing chosen is refused with a toast; a forged skill id is "expired".
    press(h.api, CHAT, sk, '完成 ✓');
    h.api.pressButton(CHAT, sk.message_id, 'v1:vf:skill:cooking');
    await h.api.waitForCalls(3, 'answerCallbackQuery');
    expect(h.api.callbackAnswers.slice(-2).map((a) => a.text)).toEqual(['请至少选择一项。', '这个按钮已过期，请重新提问。']);
    expect(await stored()).toBeUndefined();
  });

  it('« 上一步 and ✖ 取消 work at every step; after cancelling nothing is kept', async () => {
    h = await startVolunteerHarness();
    const name = await toName();
    expect(inlineButtons(name).map((b) => b.text)).toEqual(['« 上一步', '✖ 取消']);
    let m = nextTo(h.api, CHAT, has('第 2 步'));
    h.api.sendText(CHAT, '张三');
    const phone = await m;
    const keyboard = (phone.reply_markup?.keyboard ?? []) as (string | { text: string; request_contact?: boolean })[][];
    expect(keyboard.flat()[0]).toMatchObject({ text: '📱 发送我的手机号', request_contact: true });
    expect(keyboard.flat().slice(1)).toEqual(['« 上一步', '✖ 取消']);
    m = nextTo(h.api, CHAT, has('第 1 步'));
    h.api.sendText(CHAT, '« 上一步');
    await m;
    m = nextTo(h.api, CHAT, has('第 2 步'));
    h.api.sendText(CHAT, '张三');
    await m;
    m = nextTo(h.api, CHAT, has('第 3 步'));
    h.api.sendText(CHAT, '13812345678');
    const town = await m;
    // A back button from an earlier step is stale.
    press(h.api, CHAT, name, '« 上一步');
    await h.api.waitForCalls(2, 'answerCallbackQuery');
    expect(h.api.callbackAnswers.at(-1)?.text).toContain('过期');
    m = nextTo(h.api, CHAT, has('已取消'));
    press(h.api, CHAT, town, '✖ 取消');
    const cancelled = await m;
    expect((cancelled.reply_markup?.keyboard as unknown[][] | undefined)?.flat().length).toBe(5);
    expect(await stored()).toBeUndefined();
    // The conversation is over: text is a safety question again.
    h.api.sendText(CHAT, '灭火器怎么用');
    await h.api.waitFor(has('来源：'));
  });

  it('a redelivered update has no second effect', async () => {
    h = await startVolunteerHarness();
    await toName();
    const u = h.api.sendText(CHAT, '张三');
    await h.api.waitFor(has('第 2 步'));
    h.api.redeliver(u.update_id);
    h.api.sendText(CHAT, '13812345678');
    await h.api.waitFor(has('第 3 步'));
    expect(h.api.messagesTo(CHAT).filter(has('第 2 步'))).toHaveLength(1);
    expect(h.api.messagesTo(CHAT).filter(has('不是有效'))).toHaveLength(0);
  });

  it('without DATA_KEY sign-up is closed instead of storing phone numbers in clear', async () => {
    h = await startVolunteerHarness({ DATA_KEY: '' });
    const m = nextTo(h.api, CHAT);
    h.api.sendText(CHAT, '/volunteer');
    expect(textOf(await m)).toContain('暂时无法使用');
    expect(await h.deps.volunteers.volunteers.all()).toEqual([]);
  });

  it('in a group it points to the private chat', async () => {
    h = await startVolunteerHarness();
    h.api.sendGroupText(-100555, '/volunteer');
    await h.api.waitFor(has('私聊'));
  });
});

describe('profile, pause and deletion', () => {
  it('/me shows the profile; any field can be edited; pause until a day and resume', async () => {
    h = await startVolunteerHarness();
    await signUp(h.api, CHAT);
    let m = nextTo(h.api, CHAT, has('我的志愿者资料'));
    h.api.sendText(CHAT, '/me');
    const profile = await m;
    expect(textOf(profile)).toContain('13812345678');
    expect(textOf(profile)).toContain('正常接收任务邀请');

    m = nextTo(h.api, CHAT, has('请输入您的姓名'));
    press(h.api, CHAT, profile, '✏️ 姓名');
    const ask = await m;
    expect(inlineButtons(ask).map((b) => b.text)).toEqual(['✖ 取消']);
    m = nextTo(h.api, CHAT, has('我的志愿者资料'));
    h.api.sendText(CHAT, '张三丰');
    expect(textOf(await m)).toContain('张三丰');

    m = nextTo(h.api, CHAT, has('手机号'));
    press(h.api, CHAT, profile, '✏️ 手机号');
    await m;
    m = nextTo(h.api, CHAT, has('我的志愿者资料'));
    h.api.sendText(CHAT, '139-0000-3333');
    expect(textOf(await m)).toContain('13900003333');
    expect((await stored())?.phone).toBe('13900003333');

    m = nextTo(h.api, CHAT, has('暂停到哪一天'));
    press(h.api, CHAT, profile, '⏸ 暂停接收任务');
    const pause = await m;
    m = nextTo(h.api, CHAT);
    h.api.sendText(CHAT, '2020-01-01');
    expect(textOf(await m)).toContain('没看懂这个日期');
    m = nextTo(h.api, CHAT, has('已暂停'));
    press(h.api, CHAT, pause, '暂停一周');
    expect(textOf(await m)).toContain('2026-12-08');
    expect(await stored()).toMatchObject({ status: 'paused', pausedUntil: '2026-12-08' });

    m = nextTo(h.api, CHAT, has('暂停到 2026-12-08'));
    h.api.sendText(CHAT, '/me');
    const paused = await m;
    m = nextTo(h.api, CHAT, has('已恢复'));
    press(h.api, CHAT, paused, '▶️ 恢复接收任务');
    await m;
    expect(await stored()).toMatchObject({ status: 'active' });
  });

  it('/delete_me in the middle of sign-up clears what was typed so far', async () => {
    h = await startVolunteerHarness();
    await toName();
    let m = nextTo(h.api, CHAT, has('第 2 步'));
    h.api.sendText(CHAT, '王小明');
    await m;
    await confirmDeleteMe(h.api, CHAT, '还没提交的表单', '还没提交的表单');
    // The next message is a question again, not the phone step; and the name is gone from the session.
    m = nextTo(h.api, CHAT);
    h.api.sendText(CHAT, '灭火器怎么用');
    expect(textOf(await m)).toContain('来源：');
    expect(JSON.stringify((await h.deps.sessions.get(`${CHAT}:${CHAT}`)) ?? {})).not.toContain('王小明');
  });

  it('/delete_me shows the volunteer part, removes it after confirmation, and /me then knows nothing', async () => {
    h = await startVolunteerHarness();
    await signUp(h.api, CHAT);
    expect(await stored()).toBeDefined();
    const files = (): Buffer[] => fs.readdirSync(h.dataDir).filter((n) => n.includes('sqlite')).map((f) => fs.readFileSync(path.join(h.dataDir, f)));
    const row = await h.app.database.db.selectFrom('volunteers').select('phone_enc').where('user_id', '=', CHAT).executeTakeFirstOrThrow();
    const ciphertext = Buffer.from(row.phone_enc);
    expect(files().some((b) => b.includes(Buffer.from('张三')))).toBe(true);
    await confirmDeleteMe(h.api, CHAT, '志愿者登记资料', '已删除您的志愿者登记资料');
    expect(await stored()).toBeUndefined();
    // Erased physically: neither the name nor the phone's ciphertext is left anywhere in the database files.
    expect(files().some((b) => b.includes(Buffer.from('张三')) || b.includes(ciphertext))).toBe(false);
    // A second tap on 确认删除 leaves the first result in place and says it was already done.
    const result = h.api.messagesTo(CHAT).find(has('已删除您的志愿者登记资料'))!;
    const answers = h.api.callbackAnswers.length;
    h.api.pressButton(CHAT, result.message_id, 'v1:dm:y');
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('已经处理过了'));
    expect(h.api.callbackAnswers.length).toBe(answers + 1);
    expect(h.api.getMessage(CHAT, result.message_id)?.text ?? '').toContain('已删除您的志愿者登记资料');
    const m = nextTo(h.api, CHAT);
    h.api.sendText(CHAT, '/me');
    expect(textOf(await m)).toContain('还没有登记');
  });
});
