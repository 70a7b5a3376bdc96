import { afterEach, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/fake-openai.ts';
import { STAFF_GROUP, nextTo, reportTip, startTipsHarness, textOf, type TipsHarness } from '../../support/tips-harness.ts';

let h: TipsHarness | undefined;
let ai: FakeOpenAi | undefined;
afterEach(async () => {
  await h?.stop();
  await ai?.close();
});

it('a tip filed as "other" gets the model\'s practice suggestion under the staff card, without the reporter', async () => {
  ai = await startFakeOpenAi();
  ai.onChat(() => ({ json: { practiceId: 'fire-ebike-corridor', summary: '楼道内有电动车停放充电' } }));
  h = await startTipsHarness(ai.env());
  const suggestion = nextTo(h.api, STAFF_GROUP, (m) => textOf(m).includes('楼道内有电动车停放充电'));
  const { card } = await reportTip(h.api, 8101, {
    area: 'other', description: '我叫张伟，电话13812345678，我们楼道里停了好多电瓶车在充电', from: { first_name: '张伟', username: 'zhangwei_yb' },
  });
  const s = await suggestion;
  expect(textOf(s)).toMatch(/建议|参考/);
  expect(s.params.reply_parameters).toMatchObject({ message_id: card.message_id });
  // What left the service: the description without the name or the phone, and nothing about the reporter.
  const sent = JSON.stringify(ai.requests.map((r) => r.body));
  for (const secret of ['张伟', '13812345678', 'zhangwei_yb', '8101']) expect(sent).not.toContain(secret);
  expect(sent).toContain('楼道');
});

it('a tip on a listed practice is not sent to the model at all', async () => {
  ai = await startFakeOpenAi();
  h = await startTipsHarness(ai.env());
  await reportTip(h.api, 8102, {});
  expect(ai.requests.filter((r) => r.path.includes('chat'))).toHaveLength(0);
});
