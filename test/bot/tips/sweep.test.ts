import { afterEach, expect, it, vi } from 'vitest';
import { has, nextTo, STAFF_GROUP, startTipsHarness, textOf, type TipsHarness } from '../../support/tips-harness.ts';

let h: TipsHarness;
afterEach(async () => h?.stop());

it('the sweep posts a committed tip whose staff job was lost (a crash between commit and enqueue), once', async () => {
  let clock = Date.now();
  h = await startTipsHarness({}, { now: () => clock });
  // Committed like the bot does, but no job enqueued: what a crash right after the commit leaves.
  const r = await h.deps.tips.store.create({
    submissionKey: 'sweeptest1', areaId: 'forest', practiceId: 'forest-open-fire', townId: 'yufengshan', photos: [],
    description: '玉峰山林区有人烧烤，旁边全是干草',
  }, 5401);
  if (r.kind !== 'created') throw new Error(r.kind);
  clock += 3 * 60_000;
  const card = nextTo(h.api, STAFF_GROUP, has(r.tip.trackingNo));
  await h.app.queue.enqueue('tips-sweep', {}, { jobId: 'tips-sweep:test-1' });
  expect(textOf(await card)).toContain('玉峰山林区有人烧烤');
  // A second sweep finds nothing pending.
  await h.app.queue.enqueue('tips-sweep', {}, { jobId: 'tips-sweep:test-2' });
  await vi.waitFor(async () => {
    const job = await h.app.database.db.selectFrom('jobs').select('status').where('id', '=', 'tips-sweep:test-2').executeTakeFirstOrThrow();
    expect(job.status).toBe('completed');
  });
  const staffPosts = await h.app.database.db.selectFrom('jobs').select('id').where('name', '=', 'tips-staff-post').execute();
  expect(staffPosts).toHaveLength(1);
  expect(h.api.messagesTo(STAFF_GROUP).filter((m) => textOf(m).includes(r.tip.trackingNo))).toHaveLength(1);
});
