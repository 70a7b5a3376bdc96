import { afterEach, describe, expect, it } from 'vitest';
import { inlineButtons } from '../../support/bot-harness.ts';
import { has, HOUR, nextTo, press, STAFF_ID, startVolunteerHarness, textOf, type VolunteerHarness } from '../../support/volunteer-harness.ts';
import { assignmentInput, seedAssignment, seedVolunteer } from '../../support/volunteer-seed.ts';
import { createAssignment } from '../../../core/volunteers/staffing.ts';

let h: VolunteerHarness;
afterEach(async () => h?.stop());

const A = 7001; // 两路街道, first aid
const B = 7002; // 两路街道, no skills
const C = 7003; // 王家街道: same coordination zone (空港北部)
const D = 7004; // 仙桃街道: another zone
const E = 7005; // 两路街道, weekends only

const invitationTo = (chat: number) => nextTo(h.api, chat, has('志愿任务邀请'));
const members = async (assignmentId: number) => h.deps.volunteers.members.ofAssignment(assignmentId);

/** Staff walks /assign through the chat, answering each step after the bot asks it. */
async function staffAssign(answers: { needed: string; skills?: string[] }) {
  const say = async (text: string, expect: string) => {
    const m = nextTo(h.api, STAFF_ID, has(expect));
    h.api.sendText(STAFF_ID, text);
    return m;
  };
  await say('/assign', '第 1 步');
  await say('防汛巡查', '第 2 步');
  const town = await say('沿河巡查水位，带好雨衣', '第 3 步');
  let m = nextTo(h.api, STAFF_ID, has('第 4 步'));
  press(h.api, STAFF_ID, town, '两路街道');
  await m;
  await say('双湖公园北门', '第 5 步');
  expect(textOf(await say('2026-11-30 09:00', '已经过去'))).toContain('开始时间');
  await say('2026-12-02 09:00', '第 6 步');
  await say('08:00', '结束时间必须晚于开始时间');
  const skills = await say('12:00', '第 7 步');
  for (const s of answers.skills ?? []) {
    const edited = nextTo(h.api, STAFF_ID, (x) => x.method === 'editMessageReplyMarkup');
    press(h.api, STAFF_ID, skills, s);
    await edited;
  }
  m = nextTo(h.api, STAFF_ID, has('第 8 步'));
  press(h.api, STAFF_ID, skills, '完成 ✓');
  await m;
  await say('0', '1 到 50');
  return say(answers.needed, '请确认任务');
}

describe('assignments: matching, invitations, answers', () => {
  it('staff /assign → invitations to the town first; a decline invites the neighbour zone; first acceptance fills it; staff told', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu', ['first-aid']);
    await seedVolunteer(h, B, 'lianglu', []);
    await seedVolunteer(h, C, 'wangjia', ['first-aid']);
    await seedVolunteer(h, D, 'xiantao', ['first-aid']);
    await seedVolunteer(h, E, 'lianglu', ['first-aid'], ['weekends']);

    const summary = await staffAssign({ needed: '1', skills: ['急救'] });
    for (const part of ['防汛巡查', '两路街道 · 双湖公园北门', '12月2日（周三）09:00–12:00', '急救', '1 人']) expect(textOf(summary)).toContain(part);
    const [invA, invB] = [invitationTo(A), invitationTo(B)];
    const created = nextTo(h.api, STAFF_ID, has('已创建'));
    press(h.api, STAFF_ID, summary, '✅ 确认提交');
    expect(textOf(await created)).toContain('已邀请 2 位');
    const inviteA = await invA;
    const inviteB = await invB;
    for (const part of ['防汛巡查', '12月2日（周三）09:00–12:00', '两路街道 · 双湖公园北门', '急救', '共 1 个名额']) expect(textOf(inviteA)).toContain(part);
    expect(inlineButtons(inviteA).map((b) => b.text)).toEqual(['✅ 接受', '婉拒']);
    expect(h.api.messagesTo(C)).toHaveLength(0);

    // B declines: the next candidate is the neighbour town's C (E is not free on a Wednesday; D is in another zone).
    const invC = invitationTo(C);
    let m = nextTo(h.api, B, has('已婉拒'));
    press(h.api, B, inviteB, '婉拒');
    await m;
    const inviteC = await invC;

    const full = nextTo(h.api, STAFF_ID, has('已满员'));
    m = nextTo(h.api, A, has('您已接受任务'));
    press(h.api, A, inviteA, '✅ 接受');
    const accepted = await m;
    expect(inlineButtons(accepted).map((b) => b.text)).toEqual(['📍 签到', '退出任务']);
    expect(textOf(await full)).toContain('防汛巡查');

    m = nextTo(h.api, C, has('名额已经满了'));
    press(h.api, C, inviteC, '✅ 接受');
    await m;
    expect(h.api.messagesTo(D)).toHaveLength(0);
    expect(h.api.messagesTo(E)).toHaveLength(0);

    // The staff view: filled/needed and each volunteer's state.
    m = nextTo(h.api, STAFF_ID, has('#1 防汛巡查'));
    h.api.sendText(STAFF_ID, '/assignments');
    const list = textOf(await m);
    for (const part of ['已确认 1/1 人（已满员）', `志愿者${A} — 已接受`, `志愿者${B} — 已婉拒`, `志愿者${C} — 满员未录`]) expect(list).toContain(part);
    expect(list).not.toContain('138');
  });

  it('with nobody to invite, staff hear it once, in the reply to 确认', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, D, 'xiantao');
    const summary = await staffAssign({ needed: '2' });
    const created = nextTo(h.api, STAFF_ID, has('已创建'));
    press(h.api, STAFF_ID, summary, '✅ 确认提交');
    expect(textOf(await created)).toContain('目前都没有合适的志愿者');
    const list = nextTo(h.api, STAFF_ID, has('还没有邀请到志愿者'));
    h.api.sendText(STAFF_ID, '/assignments');
    expect(textOf(await list)).toContain('已确认 0/2 人');
    expect(h.api.messagesTo(STAFF_ID).filter(has('还差'))).toHaveLength(0);
    expect(h.api.messagesTo(D)).toHaveLength(0);
  });

  it('non-staff: /assign and /assignments are refused; forged staff and duty buttons change nothing', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu');
    const a = await seedAssignment(h, { skills: [] });
    const invite = await invitationTo(A);
    // No particular skill chosen: anyone may come, and the invitation says so.
    expect(textOf(invite)).toContain('需要技能：不限');
    const stranger = 7999;
    let m = nextTo(h.api, stranger);
    h.api.sendText(stranger, '/assign');
    expect(textOf(await m)).toContain('仅限工作人员');
    m = nextTo(h.api, stranger);
    h.api.sendText(stranger, '/assignments');
    expect(textOf(await m)).toContain('仅限工作人员');
    // A stranger replays a staff cancel and the volunteer's accept button in their own chat.
    const own = await (async () => { const r = nextTo(h.api, stranger); h.api.sendText(stranger, '/help'); return r; })();
    for (const data of [`v1:vs:cxy:${a.id}`, `v1:vs:cx:${a.id}`, `v1:vd:acc:${(await members(a.id))[0]!.id}`, 'v1:vs:cxy:999999', 'v1:vd:acc:0', 'v1:vf:save:confirm']) {
      h.api.pressButton(stranger, own.message_id, data);
    }
    await h.api.waitForCalls(6, 'answerCallbackQuery');
    // Staff and duty buttons are stale; a sign-up step button outside a sign-up has its own wording.
    expect(h.api.callbackAnswers.map((x) => x.text)).toEqual([...Array(5).fill(expect.stringContaining('已过期')), expect.stringContaining('这一步已经处理过了')]);
    expect((await h.deps.volunteers.assignments.get(a.id))?.status).toBe('open');
    expect((await members(a.id)).map((x) => x.state)).toEqual(['invited']);
    // The real volunteer can still answer.
    m = nextTo(h.api, A, has('您已接受任务'));
    press(h.api, A, invite, '✅ 接受');
    await m;
  });

  it('an invitation accepted after the assignment was cancelled is told so; invited volunteers hear of the cancellation', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu');
    await seedVolunteer(h, B, 'lianglu');
    const a = await seedAssignment(h);
    const [invA, invB] = [await invitationTo(A), await invitationTo(B)];
    let m = nextTo(h.api, A, has('您已接受任务'));
    press(h.api, A, invA, '✅ 接受');
    await m;

    m = nextTo(h.api, STAFF_ID, has(`#${a.id} 防汛巡查`));
    h.api.sendText(STAFF_ID, '/assignments');
    const card = await m;
    m = nextTo(h.api, STAFF_ID, has('确定要取消'));
    press(h.api, STAFF_ID, card, `取消任务 #${a.id}`);
    const confirm = await m;
    const [toldA, toldB] = [nextTo(h.api, A, has('已被工作人员取消')), nextTo(h.api, B, has('已被工作人员取消'))];
    m = nextTo(h.api, STAFF_ID, has('已取消'));
    press(h.api, STAFF_ID, confirm, `确认取消任务 #${a.id}`);
    await m;
    await Promise.all([toldA, toldB]);

    m = nextTo(h.api, B, has('已经取消'));
    press(h.api, B, invB, '✅ 接受');
    await m;
    press(h.api, STAFF_ID, confirm, `确认取消任务 #${a.id}`);
    await h.api.waitForCalls(1, (c) => c.method === 'answerCallbackQuery' && String(c.params.text ?? '').includes('已经取消'));
    expect((await members(a.id)).map((x) => x.state)).toEqual(['cancelled', 'cancelled']);
    expect(h.api.messagesTo(A).filter(has('已被工作人员取消'))).toHaveLength(1);
  });

  it('a withdrawal frees the place; an unreachable volunteer is skipped; staff hear when nobody is left', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu');
    await seedVolunteer(h, B, 'lianglu');
    h.api.blockChat(B);
    const a = await seedAssignment(h);
    const invite = await invitationTo(A);
    await h.api.waitForCalls(1, (c) => c.method === 'sendMessage' && c.status === 403);
    const full = nextTo(h.api, STAFF_ID, has('已满员'));
    let m = nextTo(h.api, A, has('您已接受任务'));
    press(h.api, A, invite, '✅ 接受');
    const accepted = await m;
    await full;
    const exhausted = nextTo(h.api, STAFF_ID, has('还差 1 人'));
    m = nextTo(h.api, A, has('已退出任务'));
    press(h.api, A, accepted, '退出任务');
    await m;
    expect(textOf(await exhausted)).toContain('没有可邀请的志愿者');
    expect((await members(a.id)).map((x) => x.state)).toEqual(['withdrawn', 'unreachable']);
  });
});

describe('the last place, two volunteers at the same moment', () => {
  it('exactly one wins (decided by the database); a second press and a redelivery have no second effect', async () => {
    h = await startVolunteerHarness({}, undefined, { poll: false });
    await seedVolunteer(h, A, 'lianglu');
    await seedVolunteer(h, B, 'lianglu');
    const a = await seedAssignment(h, { needed: 1 });
    const [invA, invB] = [await invitationTo(A), await invitationTo(B)];
    const full = nextTo(h.api, STAFF_ID, has('已满员'));
    // Both presses are handed to the bot at once, as one getUpdates batch is (telegraf runs them concurrently).
    const pa = press(h.api, A, invA, '✅ 接受');
    const pb = press(h.api, B, invB, '✅ 接受');
    await h.deliver(pa, pb);
    const said = [...h.api.messagesTo(A), ...h.api.messagesTo(B)].map(textOf);
    expect(said.filter((t) => t.includes('您已接受任务'))).toHaveLength(1);
    expect(said.filter((t) => t.includes('名额已经满了'))).toHaveLength(1);
    const states = (await members(a.id)).map((x) => x.state).sort();
    expect(states).toEqual(['accepted', 'late']);
    await full;

    const winner = (await members(a.id))[0]!.state === 'accepted' ? A : B;
    const before = h.api.sent.length;
    // The same button pressed again (its message has lost its buttons, but an old client may still show them).
    const accept = inlineButtons(winner === A ? invA : invB).find((b) => b.text === '✅ 接受')!;
    await h.deliver(h.api.pressButton(winner, (winner === A ? invA : invB).message_id, accept.data));
    expect(h.api.callbackAnswers.at(-1)?.text).toContain('您已经接受了');
    await h.deliver(pa);
    expect(h.api.sent.length).toBe(before);
    expect(h.api.messagesTo(STAFF_ID).filter(has('已满员'))).toHaveLength(1);
  });
});

describe('the periodic sweep', () => {
  it('a crash between commit and enqueue loses nothing: the sweep queues the invitations and then the reminder', async () => {
    h = await startVolunteerHarness();
    await seedVolunteer(h, A, 'lianglu');
    // The assignment and its invitation rows are committed, but the process "dies" before enqueuing.
    const r = await createAssignment({ ...h.deps.volunteers, now: h.clock.now }, assignmentInput(), STAFF_ID, 'crashed');
    expect(r.jobs).toHaveLength(1);
    h.clock.advance(5 * 60_000);
    const invited = nextTo(h.api, A, has('志愿任务邀请'));
    await h.queue.enqueue('volunteer-sweep', {}, { jobId: 'volunteer-sweep:1' });
    const invite = await invited;
    // Accepted, then the reminder job is lost too (e.g. Redis lost its queue): the next sweep re-creates it.
    let m = nextTo(h.api, A, has('您已接受任务'));
    press(h.api, A, invite, '✅ 接受');
    await m;
    await h.app.database.db.deleteFrom('jobs').where('name', '=', 'volunteer-reminder').execute();
    h.clock.advance(5 * 60_000);
    await h.queue.enqueue('volunteer-sweep', {}, { jobId: 'volunteer-sweep:2' });
    m = nextTo(h.api, A, has('任务提醒'));
    h.clock.set(r.assignment.startsAt - 2 * HOUR);
    await m;
    expect(h.api.messagesTo(A).filter(has('志愿任务邀请'))).toHaveLength(1);
    expect(h.api.messagesTo(A).filter(has('任务提醒'))).toHaveLength(1);
  });
});

describe('on bull (REDIS_URL set)', () => {
  it('the same processors send invitations and staff notices; the reminder waits in Redis as a delayed job', async () => {
    h = await startVolunteerHarness({}, undefined, { bull: true });
    await seedVolunteer(h, A, 'lianglu');
    await seedVolunteer(h, B, 'lianglu');
    const a = await seedAssignment(h);
    const [invA] = [await invitationTo(A), await invitationTo(B)];
    const full = nextTo(h.api, STAFF_ID, has('已满员'));
    const m = nextTo(h.api, A, has('您已接受任务'));
    press(h.api, A, invA, '✅ 接受');
    await m;
    await full;
    const member = (await members(a.id)).find((x) => x.userId === A)!;
    const reminder = await (h.queue as unknown as { queue: { getJob(id: string): Promise<{ opts: { delay?: number } } | null> } }).queue.getJob(`vol-remind:${member.id}`);
    expect(reminder?.opts.delay).toBe(a.startsAt - 2 * HOUR - h.clock.now());
  });
});
