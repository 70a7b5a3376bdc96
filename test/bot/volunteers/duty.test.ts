import { afterEach, describe, expect, it } from 'vitest';
import { inlineButtons } from '../../support/bot-harness.ts';
import { confirmDeleteMe, has, HOUR, nextTo, press, startVolunteerHarness, T0, textOf, type VolunteerHarness } from '../../support/volunteer-harness.ts';
import { seedAssignment, seedVolunteer } from '../../support/volunteer-seed.ts';

let h: VolunteerHarness;
afterEach(async () => h?.stop());

const A = 7101;
const B = 7102;
const START = T0 + 24 * HOUR; // Wednesday 2 December 09:00
const MIN = 60_000;

async function accept(chat: number) {
  const invite = await h.api.waitFor((x) => x.chat_id === chat && has('志愿任务邀请')(x));
  const m = nextTo(h.api, chat, has('您已接受任务'));
  press(h.api, chat, invite, '✅ 接受');
  return m;
}

describe('on the day: reminder, check-in, check-out, report, hours', () => {
  it('reminds 2 hours before, records hours between check-in and check-out, takes a report, and /myhours adds up', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu');
    await seedVolunteer(h, B, 'lianglu');
    const a = await seedAssignment(h, { needed: 2 });
    const acceptedA = await accept(A);
    await accept(B);

    // Too early: check-in opens an hour before the start.
    press(h.api, A, acceptedA, '📍 签到');
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('还没到签到时间'));

    // The reminder is a delayed job: nothing until the clock reaches 07:00 on the day, then one each.
    expect(h.api.messagesTo(A).filter(has('任务提醒'))).toHaveLength(0);
    const [remindA, remindB] = [nextTo(h.api, A, has('任务提醒')), nextTo(h.api, B, has('任务提醒'))];
    h.clock.set(START - 2 * HOUR);
    const reminder = await remindA;
    const reminderB = await remindB;
    expect(textOf(reminder)).toContain('12月2日（周三）09:00–12:00');
    expect(inlineButtons(reminder).map((b) => b.text)).toEqual(['📍 签到', '退出任务']);

    // Check-in is open from an hour before the start.
    h.clock.set(START - 5 * MIN);
    let m = nextTo(h.api, A, has('已签到'));
    const checkIn = press(h.api, A, reminder, '📍 签到');
    const checkedIn = await m;
    expect(textOf(checkedIn)).toContain('08:55');
    // A redelivered check-in has no second effect.
    h.api.redeliver(checkIn.update_id);
    m = nextTo(h.api, B, has('已签到'));
    press(h.api, B, reminderB, '📍 签到');
    const checkedInB = await m;
    expect(h.api.messagesTo(A).filter(has('已签到'))).toHaveLength(1);

    h.clock.set(START + 2 * HOUR + 25 * MIN);
    m = nextTo(h.api, A, has('已签退'));
    press(h.api, A, checkedIn, '🏁 签退');
    expect(textOf(await m)).toContain('本次服务 2.5 小时');
    m = nextTo(h.api, A);
    h.api.sendSticker(A);
    expect(textOf(await m)).toContain('作为报告');
    m = nextTo(h.api, A, has('报告已收到'));
    h.api.sendPhoto(A, { caption: '巡查完毕，水位正常，北门积水已疏通' });
    await m;

    // B forgot to check out: at the end time B is asked to, A (checked out) is not.
    const wrap = nextTo(h.api, B, has('已到结束时间'));
    h.clock.set(START + 3 * HOUR);
    const wrapup = await wrap;
    expect(inlineButtons(wrapup).map((b) => b.text)).toEqual(['🏁 签退']);
    expect(h.api.messagesTo(A).filter(has('已到结束时间'))).toHaveLength(0);
    m = nextTo(h.api, B, has('已签退'));
    press(h.api, B, checkedInB, '🏁 签退');
    const outB = await m;
    expect(textOf(outB)).toContain('3.1 小时');
    m = nextTo(h.api, B, has('谢谢您的付出'));
    press(h.api, B, outB, '跳过');
    await m;

    m = nextTo(h.api, A, has('志愿服务'));
    h.api.sendText(A, '/myhours');
    const hours = textOf(await m);
    expect(hours).toContain('2026 年志愿服务');
    expect(hours).toContain('完成任务 1 次，共 2.5 小时');
    expect(hours).toContain('12月2日 防汛巡查 — 2.5 小时');

    const record = (await h.deps.volunteers.members.ofAssignment(a.id)).find((x) => x.userId === A)!;
    expect(record).toMatchObject({ state: 'done', minutes: 150, reportText: '巡查完毕，水位正常，北门积水已疏通' });
    expect(record.reportPhoto).toBeTruthy();
  });

  it('after /delete_me the assignment record stays with its hours, anonymised; the report goes with the person', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu', [], ['anytime'], '王五');
    const a = await seedAssignment(h);
    const accepted = await accept(A);
    h.clock.set(START);
    let m = nextTo(h.api, A, has('已签到'));
    press(h.api, A, accepted, '📍 签到');
    const checkedIn = await m;
    h.clock.set(START + HOUR);
    m = nextTo(h.api, A, has('已签退'));
    press(h.api, A, checkedIn, '🏁 签退');
    await m;
    m = nextTo(h.api, A, has('报告已收到'));
    h.api.sendText(A, '王五报告：一切正常');
    await m;

    await confirmDeleteMe(h.api, A, '志愿者登记资料', '已删除您的志愿者登记资料');
    const [record] = await h.deps.volunteers.members.ofAssignment(a.id);
    expect(record).toMatchObject({ volunteerId: null, state: 'done', minutes: 60, reportText: null, reportPhoto: null });
    expect(record?.name).toBeUndefined();
    expect(await h.deps.volunteers.volunteers.byUserId(A)).toBeUndefined();
  });

  it('/delete_me of someone holding a place on an upcoming assignment gives the place to the next candidate', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu');
    const a = await seedAssignment(h);
    await accept(A);
    await seedVolunteer(h, B, 'lianglu');
    const invited = nextTo(h.api, B, has('志愿任务邀请'));
    await confirmDeleteMe(h.api, A, '志愿者登记资料', '已删除');
    await invited;
    expect((await h.deps.volunteers.members.ofAssignment(a.id)).map((x) => [x.state, x.volunteerId === null])).toEqual([['withdrawn', true], ['invited', false]]);
  });
});
