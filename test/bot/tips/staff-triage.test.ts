import { afterEach, describe, expect, it, vi } from 'vitest';
import { inlineButtons } from '../../support/bot-harness.ts';
import type { SentMessage } from '../../support/fake-bot-api.ts';
import {
  has, nextTo, OTHER_STAFF_ID, press, reportTip, STAFF_GROUP, STAFF_ID, startTipsHarness, textOf, type ReportOptions, type TipsHarness,
} from '../../support/tips-harness.ts';

const CHAT = 5201;
const STRANGER = 5299;
let h: TipsHarness;
afterEach(async () => h?.stop());

const staff = { id: STAFF_ID, first_name: '值班员' };
const report = (o: ReportOptions = {}, chat = CHAT) => reportTip(h.api, chat, o);
const tipRow = (tracking: string) => h.app.database.db.selectFrom('tips').selectAll().where('tracking_no', '=', tracking).executeTakeFirstOrThrow();
const buttonsOf = (m: SentMessage) => inlineButtons(h.api.getMessage(STAFF_GROUP, m.message_id)).map((b) => b.text);

describe('staff triage in the staff group', { timeout: 60_000 }, () => {
  it('受理 → 转办 → 办结 with a note; each status change reaches the reporter; "not fixed" reopens once', async () => {
    h = await startTipsHarness();
    const { tracking, card } = await report();
    expect(buttonsOf(card)).toEqual(['受理', '转办', '办结', '驳回', '疑似重复']);

    let toReporter = nextTo(h.api, CHAT, has('已受理'));
    press(h.api, STAFF_GROUP, card, '受理', staff);
    expect(textOf(await toReporter)).toContain(tracking);
    expect(h.api.getMessage(STAFF_GROUP, card.message_id)?.text).toContain('状态：已受理');
    expect(buttonsOf(card)).toEqual(['转办', '办结', '驳回', '疑似重复']);

    const depts = nextTo(h.api, STAFF_GROUP, (m) => m.method === 'editMessageReplyMarkup');
    press(h.api, STAFF_GROUP, card, '转办', staff);
    await depts;
    expect(buttonsOf(card)).toEqual(expect.arrayContaining(['区消防救援支队', '属地镇街', '↩️ 返回']));
    toReporter = nextTo(h.api, CHAT, has('核查中'));
    press(h.api, STAFF_GROUP, card, 'fire-rescue', { id: OTHER_STAFF_ID });
    expect(textOf(await toReporter)).toContain('已转交区消防救援支队处理');

    const prompt = nextTo(h.api, STAFF_GROUP, has('办结说明'));
    press(h.api, STAFF_GROUP, card, '办结', staff);
    const p = await prompt;
    expect(p.params.reply_markup).toMatchObject({ force_reply: true });
    toReporter = nextTo(h.api, CHAT, has('已办结'));
    h.api.sendUserMessage(STAFF_GROUP, { text: '已督促物业清理楼道，<b>设置集中充电点</b>', reply_to_message: p.message }, staff);
    const closed = await toReporter;
    expect(textOf(closed)).toContain('处理结果：已督促物业清理楼道，<b>设置集中充电点</b>');
    expect(h.api.getMessage(STAFF_GROUP, card.message_id)?.text).toContain('状态：已办结');
    expect(buttonsOf(card)).toEqual([]);

    // /mytips shows the result; "not fixed" sends it back to staff as a reopened card, once.
    const mine = nextTo(h.api, CHAT, has('我的举报'));
    h.api.sendText(CHAT, '/mytips');
    expect(textOf(await mine)).toMatch(new RegExp(`${tracking}[\\s\\S]*状态：已办结[\\s\\S]*结果：已督促物业`));
    const reopen = inlineButtons(closed).find((b) => b.text.includes('问题没解决'))!.data;
    const reopened = nextTo(h.api, STAFF_GROUP, has('问题没有解决'));
    const reply = nextTo(h.api, CHAT, has('已重新提交'));
    h.api.pressButton(CHAT, closed.message_id, reopen);
    await reply;
    const again = await reopened;
    expect(buttonsOf(again)).toEqual(['受理', '转办', '办结', '驳回', '疑似重复']);
    const prompt2 = nextTo(h.api, STAFF_GROUP, has('办结说明'));
    press(h.api, STAFF_GROUP, again, '办结', staff);
    const p2 = await prompt2;
    toReporter = nextTo(h.api, CHAT, has('已办结'));
    h.api.sendUserMessage(STAFF_GROUP, { text: '物业已拆除飞线', reply_to_message: p2.message }, staff);
    const closedAgain = await toReporter;
    expect(inlineButtons(closedAgain)).toEqual([]);
    // The old button (kept by a client that did not refresh) is refused: one reopen only.
    const refused = nextTo(h.api, CHAT, has('重新核查过一次'));
    h.api.pressButton(CHAT, closed.message_id, reopen);
    await refused;
    expect((await tipRow(tracking)).reopen_count).toBe(1);
  });

  it('驳回 asks for a reason and tells the reporter 不予受理 with it', async () => {
    h = await startTipsHarness();
    const { card } = await report();
    const prompt = nextTo(h.api, STAFF_GROUP, has('不予受理的原因'));
    press(h.api, STAFF_GROUP, card, '驳回', staff);
    const p = await prompt;
    // An empty or too long reason is refused and the prompt still works.
    const bad = nextTo(h.api, STAFF_GROUP, has('1–500 个字'));
    h.api.sendUserMessage(STAFF_GROUP, { text: '理'.repeat(501), reply_to_message: p.message }, staff);
    await bad;
    const toReporter = nextTo(h.api, CHAT, has('不予受理'));
    h.api.sendUserMessage(STAFF_GROUP, { text: '经核实为合规的集中充电桩', reply_to_message: p.message }, staff);
    expect(textOf(await toReporter)).toContain('原因：经核实为合规的集中充电桩');
  });

  it('a non-staff user, forged callback data and stale buttons change nothing', async () => {
    h = await startTipsHarness();
    const { tracking, card } = await report();
    const row = await tipRow(tracking);
    const data = (label: string) => inlineButtons(h.api.getMessage(STAFF_GROUP, card.message_id)).find((b) => b.text === label)!.data;
    const [accept, reject] = [data('受理'), data('驳回')];
    const base = h.api.callbackAnswers.length;
    const answered = (n: number) => h.api.waitForCalls(base + n, 'answerCallbackQuery');
    const alerts = () => h.api.callbackAnswers.slice(base).map((a) => a.text ?? '');

    h.api.pressButton(STAFF_GROUP, card.message_id, accept, { id: STRANGER });
    for (const forged of [`v1:ts:a:${row.id}:99`, 'v1:ts:a:99999:1', `v1:ts:x:${row.id}:1`, `v1:td:${row.id}:1:no-such-dept`, `v1:ts:a:${row.id}:1:extra`, `v0:ts:a:${row.id}:1`, 'v1:ts:w:abc:1']) {
      h.api.pressButton(STAFF_GROUP, card.message_id, forged, staff);
    }
    await answered(8);
    expect(alerts().filter((a) => a === '仅限工作人员操作。')).toHaveLength(1);
    expect(alerts().filter((a) => a.includes('过期'))).toHaveLength(7);
    expect((await tipRow(tracking)).version).toBe(row.version);

    // The real 受理 works once; the same button again, and the old 驳回, are stale.
    const accepted = nextTo(h.api, CHAT, has('已受理'));
    h.api.pressButton(STAFF_GROUP, card.message_id, accept, staff);
    await accepted;
    h.api.pressButton(STAFF_GROUP, card.message_id, accept, { id: OTHER_STAFF_ID });
    h.api.pressButton(STAFF_GROUP, card.message_id, reject, staff);
    await answered(11);
    expect(alerts().slice(-2)).toEqual(Array(2).fill('这条举报的状态已经变了，按钮已过期，请看最新的消息。'));
    const after = await tipRow(tracking);
    expect(after.status).toBe('accepted');
    expect(after.version).toBe(row.version + 1);
    const events = await h.app.database.db.selectFrom('tip_events').select('action').where('tip_id', '=', row.id).where('actor', '=', 'staff').execute();
    expect(events).toEqual([{ action: 'accept' }]);
    expect(h.api.messagesTo(CHAT).filter((m) => textOf(m).includes('已受理'))).toHaveLength(1);

    // A stranger answering a staff prompt is refused and the tip stays as it was.
    const prompt = nextTo(h.api, STAFF_GROUP, has('办结说明'));
    press(h.api, STAFF_GROUP, card, '办结', staff);
    const p = await prompt;
    const refusal = nextTo(h.api, STAFF_GROUP, has('仅限工作人员'));
    h.api.sendUserMessage(STAFF_GROUP, { text: '我来办结', reply_to_message: p.message }, { id: STRANGER });
    await refusal;
    expect((await tipRow(tracking)).status).toBe('accepted');
  });

  it('查看实名 shows the contact only to staff, as a private alert, and logs every view', async () => {
    h = await startTipsHarness();
    const { tracking, card } = await report({ realName: { name: '王芳', phone: '13812345678' } });
    expect(buttonsOf(card)).toContain('🪪 查看实名');
    press(h.api, STAFF_GROUP, card, '🪪 查看实名', { id: STRANGER });
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('仅限'));
    press(h.api, STAFF_GROUP, card, '🪪 查看实名', staff);
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('王芳'));
    const shown = h.api.callbackAnswers.find((a) => (a.text ?? '').includes('王芳'))!;
    expect(shown.show_alert).toBe(true);
    expect(shown.text).toContain('13812345678');
    // Nothing with the contact was posted anywhere.
    expect(h.api.messagesTo(STAFF_GROUP).some((m) => /王芳|13812345678/.test(`${m.text ?? ''}${m.caption ?? ''}`))).toBe(false);
    const { id } = await tipRow(tracking);
    const views = await h.app.database.db.selectFrom('tip_identity_views').select(['tip_id', 'staff_id', 'outcome']).execute();
    expect(views).toEqual([{ tip_id: id, staff_id: STAFF_ID, outcome: 'shown' }]);
  });

  it('a reporter who blocked the bot is recorded as undeliverable, and nothing fails', async () => {
    h = await startTipsHarness();
    const { tracking, card } = await report();
    h.api.blockChat(CHAT);
    press(h.api, STAFF_GROUP, card, '受理', staff);
    await h.api.waitForCalls(1, (c) => c.method === 'sendMessage' && c.status === 403);
    const { id } = await tipRow(tracking);
    await vi.waitFor(async () => {
      const ev = await h.app.database.db.selectFrom('tip_events').select('reporter_notice').where('tip_id', '=', id).where('action', '=', 'accept').executeTakeFirstOrThrow();
      expect(ev.reporter_notice).toBe('undeliverable');
    });
    const link = await h.app.database.db.selectFrom('tip_reporters').select('undeliverable_at').where('tip_id', '=', id).executeTakeFirstOrThrow();
    expect(link.undeliverable_at).not.toBeNull();
    await vi.waitFor(async () => {
      const jobs = await h.app.database.db.selectFrom('jobs').select(['name', 'status']).where('name', '=', 'tips-notify-reporter').execute();
      expect(jobs).toEqual([{ name: 'tips-notify-reporter', status: 'completed' }]);
    });
  });

  it('flags a similar tip as a possible duplicate on its card; 疑似重复 marks it for staff', async () => {
    h = await startTipsHarness();
    const first = await report({ description: '3栋楼道里有人给电动车充电，线从窗户拉下来' });
    const second = await report({ description: '3栋楼道里有人给电动车充电，很危险' }, CHAT + 1);
    expect(textOf(second.card)).toContain(`疑似重复：与 ${first.tracking} 相似`);
    const marked = nextTo(h.api, STAFF_GROUP, (m) => m.method === 'editMessageText' && textOf(m).includes('工作人员已标记为疑似重复'));
    press(h.api, STAFF_GROUP, second.card, '疑似重复', staff);
    await marked;
    expect(buttonsOf(second.card)).not.toContain('疑似重复');
    expect((await tipRow(second.tracking)).status).toBe('new');
  });

  it('a tip with no staff action for 24 hours is posted again as overdue, once per 24 hours', async () => {
    let clock = Date.now();
    h = await startTipsHarness({}, { now: () => clock });
    const { tracking } = await report();
    const { id, created_at } = await tipRow(tracking);
    // The check was scheduled for 24 hours after the tip, in the durable job table.
    const job = await h.app.database.db.selectFrom('jobs').select(['id', 'run_at']).where('name', '=', 'tips-overdue').executeTakeFirstOrThrow();
    expect(Number(job.run_at) - Date.parse(created_at)).toBeGreaterThanOrEqual(24 * 3600_000 - 5000);
    clock += 25 * 3600_000;
    const overdue = nextTo(h.api, STAFF_GROUP, has('超过 24 小时'));
    await h.app.queue.enqueue('tips-overdue', { tipId: id }, { jobId: 'test-overdue-1' });
    const card = await overdue;
    expect(textOf(card)).toContain(tracking);
    await h.app.queue.enqueue('tips-overdue', { tipId: id }, { jobId: 'test-overdue-2' });
    await vi.waitFor(async () => {
      const done = await h.app.database.db.selectFrom('jobs').select('status').where('id', '=', 'test-overdue-2').executeTakeFirstOrThrow();
      expect(done.status).toBe('completed');
    });
    expect(h.api.messagesTo(STAFF_GROUP).filter((m) => textOf(m).includes('超过 24 小时'))).toHaveLength(1);
    // Acting on the overdue card stops the reminders.
    press(h.api, STAFF_GROUP, card, '受理', staff);
    await nextTo(h.api, CHAT, has('已受理'));
    expect(await h.deps.tips.outbox.overdueAt(id)).toBeUndefined();
  });
});
