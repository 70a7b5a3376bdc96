import { afterEach, expect, it, vi } from 'vitest';
import { createLogger } from '../../../core/logger.ts';
import {
  has, nextTo, press, STAFF_GROUP, STAFF_ID, startTipsHarness, submit, walkToSummary, type TipsHarness,
} from '../../support/tips-harness.ts';

const CHAT = 987_650_123;
let h: TipsHarness;
afterEach(async () => h?.stop());

it('logs never contain the reporter\'s chat id, name, username or phone, through report, triage and a blocked reporter', async () => {
  const lines: string[] = [];
  const logger = createLogger('debug', { write: (line: string) => void lines.push(line) });
  h = await startTipsHarness({}, { logger });
  const from = { first_name: '孙', last_name: '丽', username: 'sunli_yubei' };
  const summary = await walkToSummary(h.api, CHAT, { realName: { name: '孙丽', phone: '15812345678' }, from });
  const card = nextTo(h.api, STAFF_GROUP, has('新举报'));
  await submit(h.api, CHAT, summary);
  const c = await card;
  press(h.api, STAFF_GROUP, c, '🪪 查看实名', { id: STAFF_ID });
  await h.api.waitForCalls(1, (x) => x.method === 'answerCallbackQuery' && String(x.params.text ?? '').includes('孙丽'));
  h.api.blockChat(CHAT);
  press(h.api, STAFF_GROUP, c, '受理', { id: STAFF_ID });
  await h.api.waitForCalls(1, (x) => x.method === 'sendMessage' && x.status === 403);
  await vi.waitFor(() => expect(lines.some((l) => l.includes('reporter unreachable'))).toBe(true));
  const all = lines.join('\n');
  expect(all).toContain('tip stored');
  for (const secret of [String(CHAT), '孙丽', 'sunli_yubei', '15812345678', '1581234']) expect(all).not.toContain(secret);
});
