import { afterEach, describe, expect, it } from 'vitest';
import { generateScript } from '../../core/broadcast/generate-script.ts';
import { realContent } from '../support/content.ts';
import { inlineButtons, startBotHarness, type BotHarness } from '../support/bot-harness.ts';
import type { SentMessage } from '../support/fake-bot-api.ts';
import type { Script } from '../../core/broadcast/script-source.ts';

const CHAT = 6001;
/** 17:30 UTC on 30 November is already 1 December 01:30 in Chongqing: "today" must be 1 December. */
const NOW = Date.parse('2026-11-30T17:30:00Z');
let h: BotHarness;
afterEach(async () => h?.stop());

const script = (date: string, town?: string) => generateScript({ date, town, content: realContent() });
const start = async (env: Record<string, string> = {}) => {
  h = await startBotHarness(env, { now: () => NOW });
};
/** The next message to `chat` after the ones already there. */
const nextTo = (chat: number, timeoutMs?: number) => {
  const before = h.api.messagesTo(chat).length;
  return h.api.waitFor((m) => m.chat_id === chat && h.api.messagesTo(chat).indexOf(m) >= before, timeoutMs);
};
const urlButtons = (m: SentMessage) =>
  ((m.reply_markup?.inline_keyboard ?? []) as { text: string; url?: string }[][]).flat().flatMap((b) => (b.url ? [{ text: b.text, url: b.url }] : []));

describe('operators read the day\'s script in the chat', () => {
  it('/today sends today\'s script (in Asia/Shanghai) ready to read aloud, with day buttons and no link without PUBLIC_URL', async () => {
    await start();
    const reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/today');
    const m = await reply;
    const s = script('2026-12-01');
    const text = m.plain_text ?? '';
    expect(text.startsWith(s.title)).toBe(true);
    expect(text).toContain(s.text);
    expect(text).toMatch(/共 \d+ 字，朗读约 \d 分钟/);
    expect(text).toContain(`内容来源：${s.sources[0]!.title}`);
    expect(inlineButtons(m)).toEqual([
      { text: '◀ 前一天（11月30日）', data: 'v1:s:2026-11-30' },
      { text: '后一天（12月2日）▶', data: 'v1:s:2026-12-02' },
    ]);
    expect(urlButtons(m)).toEqual([]);
  });

  it('the 今日广播 menu entry sends the same script (it is no longer "建设中")', async () => {
    await start();
    const reply = nextTo(CHAT);
    h.api.sendText(CHAT, '今日广播');
    const m = await reply;
    expect(m.plain_text).toContain(script('2026-12-01').text);
    expect(m.plain_text).not.toContain('建设中');
  });

  it('with PUBLIC_URL the script links to its printable page, keeping the town', async () => {
    await start({ PUBLIC_URL: 'https://aq.example.cn/' });
    let reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/today');
    expect(urlButtons(await reply)).toEqual([{ text: '🖨 打印版', url: 'https://aq.example.cn/scripts/2026-12-01' }]);
    reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/script 2026-12-05 龙兴');
    expect(urlButtons(await reply)[0]?.url).toBe('https://aq.example.cn/scripts/2026-12-05?town=longxing');
  });

  it('/script YYYY-MM-DD sends that day; dates typed the usual ways are understood', async () => {
    await start();
    for (const typed of ['2027-11-09', '2027/11/9', '2027年11月9日', '20271109', '２０２７－１１－０９']) {
      const reply = nextTo(CHAT);
      h.api.sendText(CHAT, `/script ${typed}`);
      expect((await reply).plain_text).toContain(script('2027-11-09').text);
    }
  });

  it('/script with a town gives the town\'s wording; an unknown town says how to write one', async () => {
    await start();
    let reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/script 2026-12-01 龙兴镇');
    const m = await reply;
    expect(m.plain_text).toContain(script('2026-12-01', 'longxing').text);
    expect(inlineButtons(m).map((b) => b.data)).toEqual(['v1:s:2026-11-30:longxing', 'v1:s:2026-12-02:longxing']);
    reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/script 2026-12-01 火星');
    expect((await reply).plain_text).toContain('没有找到镇街“火星”');
    reply = nextTo(CHAT);
    h.api.sendText(CHAT, `/script 2026-12-01 ${'长'.repeat(4070)}`);
    expect((await reply).plain_text).toContain('没有找到镇街“长长长');
  });

  it('/script without a date explains how to use it; bad and out-of-range dates get a clear message', async () => {
    await start();
    const cases: [string, string][] = [
      ['/script', '请在 /script 后面写上日期'],
      ['/script 2026-02-30', '“2026-02-30”不是有效的日期'],
      ['/script 明天', '“明天”不是有效的日期'],
      ['/script 2026-13-01', '不是有效的日期'],
      ['/script 1999-12-31', '没有 1999-12-31 的广播稿：只能查看 2020 年到 2050 年之间的广播稿'],
      ['/script 2051-01-01', '只能查看 2020 年到 2050 年'],
    ];
    for (const [command, expected] of cases) {
      const reply = nextTo(CHAT);
      h.api.sendText(CHAT, command);
      expect((await reply).plain_text).toContain(expected);
    }
  });

  it('day buttons step to the neighbouring day', async () => {
    await start();
    let reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/today');
    const m = await reply;
    reply = nextTo(CHAT);
    h.api.pressButtonByText(CHAT, m.message_id, '◀ 前一天（11月30日）');
    const prev = await reply;
    expect(prev.plain_text).toContain(script('2026-11-30').text);
    expect(inlineButtons(prev).map((b) => b.data)).toEqual(['v1:s:2026-11-29', 'v1:s:2026-12-01']);
    await h.api.waitForCalls(1, 'answerCallbackQuery');
    expect(h.api.callbackAnswers[0]?.text).toBeUndefined();
  });

  it('the ends of the supported years have no button past them', async () => {
    // Any script will do for the buttons; a generated 2050 script would first walk 25 years of selections.
    const any = script('2026-12-01');
    h = await startBotHarness({}, { now: () => NOW, scripts: { forDate: async (date) => ({ ...any, date }) } });
    let reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/script 2050-12-31');
    expect(inlineButtons(await reply).map((b) => b.data)).toEqual(['v1:s:2050-12-30']);
    reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/script 2020-01-01');
    expect(inlineButtons(await reply).map((b) => b.data)).toEqual(['v1:s:2020-01-02']);
  });

  it('forged day buttons get "已过期" and send nothing', async () => {
    await start();
    const reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/today');
    const m = await reply;
    const sentBefore = h.api.sent.length;
    const forged = ['v1:s:2026-02-30', 'v1:s:1999-12-31', 'v1:s:2026-12-01:no-such-town', 'v1:s:2026-12-01:longxing:x', 'v1:s:2026-1-1', 'v0:s:2026-12-01', 'v1:s:', 'v1:s:2026-12-01:Long Xing'];
    for (const data of forged) h.api.pressButton(CHAT, m.message_id, data);
    await h.api.waitForCalls(forged.length, 'answerCallbackQuery');
    expect(h.api.callbackAnswers.map((a) => a.text)).toEqual(Array(forged.length).fill(expect.stringContaining('已过期')));
    expect(h.api.sent.length).toBe(sentBefore);
  });

  it('a long script (e.g. an urgent one) is split into valid messages, markup intact, buttons on the last', async () => {
    const paragraph = '请注意 <防汛> & "转移" 安排，'.repeat(40);
    const long: Script = {
      ...script('2026-12-01'),
      title: '<紧急> 防汛广播稿 & 通知',
      text: Array.from({ length: 12 }, (_, i) => `${i + 1}. ${paragraph}`).join('\n\n'),
    };
    h = await startBotHarness({}, { now: () => NOW, scripts: { forDate: async (date) => ({ ...long, date }) } });
    h.api.sendText(CHAT, '/today');
    const last = await h.api.waitFor((m) => inlineButtons(m).length > 0);
    const parts = h.api.messagesTo(CHAT);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect([...(p.plain_text ?? '')].length).toBeLessThanOrEqual(4096);
    expect(parts.at(-1)).toBe(last);
    expect(parts.slice(0, -1).every((p) => inlineButtons(p).length === 0)).toBe(true);
    expect(parts[0]!.plain_text!.startsWith('<紧急> 防汛广播稿 & 通知')).toBe(true);
    const joined = parts.map((p) => p.plain_text).join('\n');
    expect(joined.replace(/\s+/g, '')).toContain(long.text.replace(/\s+/g, ''));
  });

  it('a subscribed operator gets their own town\'s wording by default; a resident subscriber the district\'s', async () => {
    await start();
    await h.deps.broadcast.subscribers.subscribe({ chatId: CHAT, chatType: 'private', role: 'operator', townId: 'longxing', village: null });
    await h.deps.broadcast.subscribers.subscribe({ chatId: CHAT + 1, chatType: 'private', role: 'resident', townId: 'longxing', village: null });
    let reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/today');
    const m = await reply;
    expect(m.plain_text).toContain(script('2026-12-01', 'longxing').text);
    expect(inlineButtons(m).map((b) => b.data)).toEqual(['v1:s:2026-11-30:longxing', 'v1:s:2026-12-02:longxing']);
    reply = nextTo(CHAT);
    h.api.sendText(CHAT, '/script 2026-12-01 古路');
    expect((await reply).plain_text).toContain(script('2026-12-01', 'gulu').text);
    reply = nextTo(CHAT + 1);
    h.api.sendText(CHAT + 1, '/today');
    expect((await reply).plain_text).toContain(script('2026-12-01').text);
  });
});
