import { afterEach, describe, expect, it } from 'vitest';
import {
  has, nextTo, press, reportTip, STAFF_GROUP, STAFF_ID, startTipsHarness, textOf, type ReportOptions, type TipsHarness,
} from '../../support/tips-harness.ts';

const CHAT = 5201;
let h: TipsHarness;
afterEach(async () => h?.stop());

const staff = { id: STAFF_ID, first_name: '值班员' };
const report = (o: ReportOptions = {}, chat = CHAT) => reportTip(h.api, chat, o);
const tipRow = (tracking: string) => h.app.database.db.selectFrom('tips').selectAll().where('tracking_no', '=', tracking).executeTakeFirstOrThrow();

describe('the reporter after submitting', { timeout: 60_000 }, () => {
  it('adds information to an open tip; staff see it, without the reporter', async () => {
    h = await startTipsHarness();
    const { tracking } = await report({ from: { first_name: '赵', username: 'zhao_yb' } });
    const list = nextTo(h.api, CHAT, has('我的举报'));
    h.api.sendText(CHAT, '/mytips');
    const m = await list;
    expect(textOf(m)).toContain(`${tracking}`);
    expect(textOf(m)).toContain('状态：待受理');
    const prompt = nextTo(h.api, CHAT, has('要补充到'));
    press(h.api, CHAT, m, `✏️ 补充 ${tracking}`);
    await prompt;
    const info = nextTo(h.api, STAFF_GROUP, has('补充了信息'));
    const done = nextTo(h.api, CHAT, has('已补充'));
    h.api.sendText(CHAT, '今晚7点左右又看到了，3楼那户人家');
    await done;
    const posted = textOf(await info);
    expect(posted).toContain(tracking);
    expect(posted).toContain('今晚7点左右又看到了');
    expect(posted).not.toMatch(/zhao_yb|赵|5201/);
  });

  it('/delete_me removes the identity link from closed tips and keeps open ones until they are done', async () => {
    h = await startTipsHarness();
    const closedTip = await report({ realName: { name: '陈静', phone: '13700001111' } });
    const openTip = await report({ town: 'huixing', description: '回兴某工地塔吊下面没有警戒线' });
    const prompt = nextTo(h.api, STAFF_GROUP, has('办结说明'));
    press(h.api, STAFF_GROUP, closedTip.card, '办结', staff);
    const p = await prompt;
    const closed = nextTo(h.api, CHAT, has('已办结'));
    h.api.sendUserMessage(STAFF_GROUP, { text: '已整改', reply_to_message: p.message }, staff);
    await closed;

    const preview = nextTo(h.api, CHAT, has('删除我的个人信息'));
    h.api.sendText(CHAT, '/delete_me');
    const m = await preview;
    expect(textOf(m)).toContain('1 条已结束举报');
    expect(textOf(m)).toContain('1 条仍在处理中');
    const done = nextTo(h.api, CHAT, has('已完成'));
    press(h.api, CHAT, m, '🗑 确认删除');
    expect(textOf(await done)).toContain('已解除 1 条举报与您的关联');

    const list = nextTo(h.api, CHAT, has('我的举报'));
    h.api.sendText(CHAT, '/mytips');
    const mine = textOf(await list);
    expect(mine).toContain(openTip.tracking);
    expect(mine).not.toContain(closedTip.tracking);
    press(h.api, STAFF_GROUP, closedTip.card, '🪪 查看实名', staff);
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('已删除身份信息'));
    const link = await h.app.database.db.selectFrom('tip_reporters').select('tip_id').execute();
    expect(link).toEqual([{ tip_id: (await tipRow(openTip.tracking)).id }]);
  });
});
