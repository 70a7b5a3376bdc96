import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Markup, Telegraf } from 'telegraf';
import { message } from 'telegraf/filters';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBotApi, type FakeBotApi, type TgMessage, type TgUpdate } from './fake-bot-api.ts';

interface ApiResponse<T = unknown> {
  ok: boolean;
  result?: T;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

let fake: FakeBotApi;

async function call<T = unknown>(method: string, body: Record<string, unknown> = {}): Promise<ApiResponse<T> & { status: number }> {
  const res = await fetch(`${fake.apiRoot}/bot${fake.token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, ...((await res.json()) as ApiResponse<T>) };
}

const send = (body: Record<string, unknown>) => call<TgMessage>('sendMessage', { chat_id: 42, ...body });

beforeEach(async () => {
  fake = await startFakeBotApi();
});

afterEach(async () => {
  await fake.close();
});

describe('getUpdates', () => {
  it('returns unconfirmed updates again, drops them once offset passes them, and honours limit', async () => {
    const a = fake.sendText(42, '/start');
    const b = fake.sendText(42, 'hello');
    fake.sendText(42, 'third');

    const first = await call<TgUpdate[]>('getUpdates', { limit: 2 });
    expect(first.result?.map((u) => u.update_id)).toEqual([a.update_id, b.update_id]);
    expect(first.result?.[0]?.message?.entities).toEqual([{ offset: 0, length: 6, type: 'bot_command' }]);
    expect(first.result?.[0]?.message?.from).toMatchObject({ id: 42, is_bot: false, language_code: 'zh-hans' });
    expect(first.result?.[0]?.message?.chat).toMatchObject({ id: 42, type: 'private' });

    const again = await call<TgUpdate[]>('getUpdates', { limit: 2 });
    expect(again.result?.map((u) => u.update_id)).toEqual([a.update_id, b.update_id]);

    const rest = await call<TgUpdate[]>('getUpdates', { offset: b.update_id + 1 });
    expect(rest.result?.map((u) => u.message?.text)).toEqual(['third']);
    const last = rest.result?.[0]?.update_id ?? 0;
    expect((await call<TgUpdate[]>('getUpdates', { offset: last + 1 })).result).toEqual([]);
  });

  it('redeliver pushes the same update (same update_id) again, once', async () => {
    const a = fake.sendText(42, 'once');
    await call('getUpdates', {});
    expect((await call<TgUpdate[]>('getUpdates', { offset: a.update_id + 1 })).result).toEqual([]);

    fake.redeliver(a.update_id);
    const dup = await call<TgUpdate[]>('getUpdates', { offset: a.update_id + 1 });
    expect(dup.result).toEqual([a]);
    expect((await call<TgUpdate[]>('getUpdates', { offset: a.update_id + 1 })).result).toEqual([]);
  });

  it('long polling: returns [] after the timeout, wakes up on a new update, and ends promptly on close()', async () => {
    const t0 = Date.now();
    expect((await call<TgUpdate[]>('getUpdates', { timeout: 1 })).result).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);

    const pending = call<TgUpdate[]>('getUpdates', { timeout: 30 });
    setTimeout(() => fake.sendText(7, 'wake up'), 50);
    const t1 = Date.now();
    expect((await pending).result?.map((u) => u.message?.text)).toEqual(['wake up']);
    expect(Date.now() - t1).toBeLessThan(2000);

    const u = await call<TgUpdate[]>('getUpdates', { offset: 0, timeout: 0 });
    const hanging = call<TgUpdate[]>('getUpdates', { offset: (u.result?.[0]?.update_id ?? 0) + 1, timeout: 30 });
    await new Promise((r) => setTimeout(r, 50));
    const t2 = Date.now();
    await fake.close();
    expect((await hanging).result).toEqual([]);
    expect(Date.now() - t2).toBeLessThan(1000);
  });

  it('answers 409 Conflict while a webhook is set', async () => {
    expect((await call('setWebhook', { url: 'http://127.0.0.1:9/hook', secret_token: 's3cret' })).ok).toBe(true);
    expect(fake.webhook).toMatchObject({ url: 'http://127.0.0.1:9/hook', secret_token: 's3cret' });
    const info = await call<{ url: string }>('getWebhookInfo');
    expect(info.result?.url).toBe('http://127.0.0.1:9/hook');
    const res = await call('getUpdates', {});
    expect(res.status).toBe(409);
    expect(res).toMatchObject({ ok: false, error_code: 409 });
    expect(res.description).toMatch(/^Conflict: can't use getUpdates method while webhook is active/);
    await call('deleteWebhook');
    expect((await call('getUpdates', {})).ok).toBe(true);
  });

  it('delivers updates to a webhook with the secret token header', async () => {
    const received: { body: TgUpdate; secret: string | undefined }[] = [];
    const hook = http.createServer((req, res) => {
      let data = '';
      req.on('data', (c: Buffer) => (data += c.toString()));
      req.on('end', () => {
        received.push({ body: JSON.parse(data) as TgUpdate, secret: req.headers['x-telegram-bot-api-secret-token'] as string | undefined });
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`;
      await call('setWebhook', { url, secret_token: 'tok_1' });
      const u = fake.sendText(5, 'via webhook');
      await expect.poll(() => received.length).toBe(1);
      expect(received[0]).toEqual({ body: u, secret: 'tok_1' });
      await expect.poll(() => fake.pendingUpdates.length).toBe(0);
    } finally {
      await new Promise((r) => hook.close(r));
    }
  });
});

describe('sendMessage validation', () => {
  it('requires chat_id and non-empty text; unknown methods are 404', async () => {
    expect(await call('sendMessage', { text: 'x' })).toMatchObject({ status: 400, description: 'Bad Request: chat_id is empty' });
    expect(await send({ text: '   ' })).toMatchObject({ status: 400, description: 'Bad Request: message text is empty' });
    expect(await call('sendTelepathy', { chat_id: 1 })).toMatchObject({
      status: 404, ok: false, error_code: 404, description: 'Not Found: method not found',
    });
    const bad = await fetch(`${fake.apiRoot}/bot999:WRONG/getMe`, { method: 'POST' });
    expect(bad.status).toBe(401);
  });

  it('returns realistic messages with per-chat increasing message_ids', async () => {
    const me = await call<{ id: number; is_bot: boolean; username: string }>('getMe');
    const m1 = await send({ text: 'one' });
    const m2 = await send({ text: 'two' });
    const other = await call<TgMessage>('sendMessage', { chat_id: 43, text: 'x' });
    expect(m1.result).toMatchObject({ message_id: 1, chat: { id: 42, type: 'private' }, text: 'one', from: { id: me.result?.id, is_bot: true } });
    expect(typeof m1.result?.date).toBe('number');
    expect(m2.result?.message_id).toBe(2);
    expect(other.result?.message_id).toBe(1);
    expect(fake.messagesTo(42).map((m) => m.text)).toEqual(['one', 'two']);
    expect(fake.lastMessageTo(43)).toMatchObject({ method: 'sendMessage', chat_id: 43, text: 'x', message_id: 1 });
  });

  it('accepts valid Telegram HTML and reports plain text + entities', async () => {
    const html = [
      '<b>粗</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> <strike>k</strike> <del>d</del>',
      '<span class="tg-spoiler">sp</span> <tg-spoiler>sp</tg-spoiler> <a href="https://example.com/?a=1&amp;b=2">link</a>',
      '<code>c</code> <pre>p</pre> <pre><code class="language-ts">const x = 1;</code></pre>',
      '<blockquote>q</blockquote> <blockquote expandable>eq</blockquote> <tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
      '&lt;tag&gt; &amp; &quot; &#33; &#x21; a > b <b><i>nested</i></b>',
    ].join('\n');
    const res = await send({ text: html, parse_mode: 'HTML' });
    expect(res.ok).toBe(true);
    expect(res.result?.text).toContain('<tag> & " ! ! a > b nested');
    expect(res.result?.text).not.toContain('<b>');
    const types = res.result?.entities?.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['bold', 'italic', 'underline', 'strikethrough', 'spoiler', 'text_link', 'code', 'pre', 'blockquote', 'expandable_blockquote', 'custom_emoji']));
    expect(res.result?.entities).toContainEqual(expect.objectContaining({ type: 'pre', language: 'ts' }));
    expect(res.result?.entities).toContainEqual(expect.objectContaining({ type: 'text_link', url: 'https://example.com/?a=1&b=2' }));
    expect(fake.lastMessageTo(42)).toMatchObject({ text: html, parse_mode: 'HTML' });
  });

  it.each([
    ['<div>x</div>', /Unsupported start tag "div"/],
    ['<br>', /Unsupported start tag "br"/],
    ['<b>unclosed', /Can't find end tag corresponding to start tag "b"/],
    ['<b><i>x</b></i>', /Unmatched end tag at byte offset \d+, expected "<\/i>", found "<\/b>"/],
    ['x</b>', /Unexpected end tag/],
    ['1 < 2', /Unsupported start tag ""/],
    ['AT&T', /Character '&'/],
    ['&nbsp;', /Character '&'/],
    ['<span>x</span>', /must have class "tg-spoiler"/],
    ['<a href="x>y', /Unclosed start tag/],
  ])('rejects bad HTML %j', async (text, error) => {
    const res = await send({ text, parse_mode: 'HTML' });
    expect(res).toMatchObject({ status: 400, ok: false, error_code: 400 });
    expect(res.description).toMatch(/^Bad Request: can't parse entities: /);
    expect(res.description).toMatch(error);
    expect(fake.sent).toHaveLength(0);
  });

  it('rejects malformed MarkdownV2 with Telegram\'s messages', async () => {
    expect((await send({ text: '*bold* \\. [l](https://x.org) `a.b`', parse_mode: 'MarkdownV2' })).ok).toBe(true);
    expect((await send({ text: 'Hello.', parse_mode: 'MarkdownV2' })).description).toBe(
      "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
    );
    expect((await send({ text: '*bold', parse_mode: 'MarkdownV2' })).description).toMatch(/Can't find end of Bold entity at byte offset 0/);
    expect((await send({ text: 'x', parse_mode: 'Textile' })).status).toBe(400);
  });

  it('enforces the 4096 limit after entity parsing (code points, entities decoded)', async () => {
    const a4096 = 'a'.repeat(4096);
    expect((await send({ text: `<b>${a4096}</b>`, parse_mode: 'HTML' })).ok).toBe(true);
    expect((await send({ text: '&amp;'.repeat(4096), parse_mode: 'HTML' })).ok).toBe(true);
    expect((await send({ text: '你'.repeat(4096) })).ok).toBe(true);
    expect((await send({ text: '😀'.repeat(4096) })).ok).toBe(true);
    expect(await send({ text: `${a4096}a` })).toMatchObject({ status: 400, description: 'Bad Request: message is too long' });
    expect(await send({ text: `<i>${'&lt;'.repeat(4097)}</i>`, parse_mode: 'HTML' })).toMatchObject({ status: 400, description: 'Bad Request: message is too long' });
  });

  it('limits callback_data to 1–64 bytes (UTF-8) and checks buttons', async () => {
    const kb = (callback_data: string, text = 'btn') => ({ inline_keyboard: [[{ text, callback_data }]] });
    expect((await send({ text: 'ok', reply_markup: kb('a'.repeat(64)) })).ok).toBe(true);
    expect((await send({ text: 'ok', reply_markup: kb('你'.repeat(21)) })).ok).toBe(true); // 63 bytes
    for (const data of ['a'.repeat(65), '你'.repeat(22), '']) {
      expect(await send({ text: 'x', reply_markup: kb(data) })).toMatchObject({ status: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    }
    expect((await send({ text: 'x', reply_markup: kb('d', '') })).status).toBe(400);
    expect((await send({ text: 'x', reply_markup: { inline_keyboard: [[{ text: 'plain' }]] } })).description).toBe(
      'Bad Request: text buttons are unallowed in the inline keyboard',
    );
    expect((await send({ text: 'kb', reply_markup: { keyboard: [['是', { text: '否' }]], resize_keyboard: true } })).ok).toBe(true);
    expect((await send({ text: 'rm', reply_markup: { remove_keyboard: true } })).ok).toBe(true);
  });
});

describe('edits, callbacks, media', () => {
  it('edits messages and rejects identical edits; callback queries can be answered once', async () => {
    const markup = { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }]] };
    const m = await send({ text: '<b>Q?</b>', parse_mode: 'HTML', reply_markup: markup });
    const id = m.result?.message_id;
    expect(m.result?.reply_markup).toEqual(markup);
    expect(await call('editMessageText', { chat_id: 42, message_id: id, text: '<b>Q?</b>', parse_mode: 'HTML', reply_markup: markup }))
      .toMatchObject({ status: 400, description: expect.stringMatching(/^Bad Request: message is not modified/) });
    const edited = await call<TgMessage>('editMessageText', { chat_id: 42, message_id: id, text: 'Q? answered' });
    expect(edited.result).toMatchObject({ message_id: id, text: 'Q? answered' });
    expect(edited.result?.reply_markup).toBeUndefined();
    expect((await call('editMessageReplyMarkup', { chat_id: 42, message_id: id, reply_markup: markup })).ok).toBe(true);
    expect((await call('editMessageReplyMarkup', { chat_id: 42, message_id: id, reply_markup: markup })).status).toBe(400);
    expect((await call('editMessageText', { chat_id: 42, message_id: 999, text: 'x' })).description).toBe('Bad Request: message to edit not found');

    const press = fake.pressButtonByText(42, id ?? 0, 'Yes');
    expect(press.callback_query).toMatchObject({ data: 'yes', message: { message_id: id }, from: { id: 42 } });
    expect((await call('answerCallbackQuery', { callback_query_id: press.callback_query?.id, text: 'ok' })).ok).toBe(true);
    expect(fake.callbackAnswers).toMatchObject([{ callback_query_id: press.callback_query?.id, text: 'ok' }]);
    for (const qid of [press.callback_query?.id, 'nope']) {
      expect(await call('answerCallbackQuery', { callback_query_id: qid })).toMatchObject({
        status: 400, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid',
      });
    }
    expect((await call('deleteMessage', { chat_id: 42, message_id: id })).result).toBe(true);
    expect((await call('deleteMessage', { chat_id: 42, message_id: id })).description).toBe('Bad Request: message to delete not found');
  });

  it('accepts sendPhoto/sendDocument as multipart uploads or file_id strings; getFile + download work', async () => {
    const form = new FormData();
    form.set('chat_id', '42');
    form.set('caption', '<b>图</b>');
    form.set('parse_mode', 'HTML');
    form.set('reply_markup', JSON.stringify({ inline_keyboard: [[{ text: 'x', callback_data: 'x' }]] }));
    form.set('photo', new Blob([Buffer.from('fake-jpeg-bytes')]), 'a.jpg');
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendPhoto`, { method: 'POST', body: form });
    const photo = (await res.json()) as ApiResponse<TgMessage & { photo: { file_id: string }[] }>;
    expect(photo.ok).toBe(true);
    expect(photo.result?.caption).toBe('图');
    const fileId = photo.result?.photo[0]?.file_id ?? '';
    expect(fake.lastMessageTo(42)).toMatchObject({ method: 'sendPhoto', caption: '<b>图</b>', plain_text: '图' });

    expect((await call('sendPhoto', { chat_id: 42, photo: fileId })).ok).toBe(true);
    const doc = await call<TgMessage>('sendDocument', { chat_id: 42, document: 'BQACAgIAAxkBAAIBQ2Z' });
    expect(doc.result?.document).toMatchObject({ file_id: 'BQACAgIAAxkBAAIBQ2Z' });
    expect((await call('sendPhoto', { chat_id: 42 })).description).toBe('Bad Request: there is no photo in the request');
    expect((await call('sendPhoto', { chat_id: 42, photo: 'not a file id' })).description).toBe('Bad Request: wrong file identifier/HTTP URL specified');

    const file = await call<{ file_path: string }>('getFile', { file_id: fileId });
    const download = await fetch(`${fake.apiRoot}/file/bot${fake.token}/${file.result?.file_path}`);
    expect(await download.text()).toBe('fake-jpeg-bytes');
    expect((await call('getFile', { file_id: 'zzz' })).status).toBe(400);
  });

  it('setMyCommands / getMyCommands round-trip and validation', async () => {
    const commands = [{ command: 'start', description: '开始' }, { command: 'help', description: '帮助' }];
    expect((await call('setMyCommands', { commands })).ok).toBe(true);
    expect((await call('getMyCommands')).result).toEqual(commands);
    expect((await call('setMyCommands', { commands: [{ command: 'Start', description: 'x' }] })).description).toBe('Bad Request: BOT_COMMAND_INVALID');
  });
});

describe('fault injection', () => {
  it('403 for a blocked chat (sendMessage and sendChatAction), others unaffected', async () => {
    fake.blockChat(42);
    for (const [method, body] of [['sendMessage', { text: 'hi' }], ['sendChatAction', { action: 'typing' }]] as const) {
      expect(await call(method, { chat_id: 42, ...body })).toMatchObject({
        status: 403, ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user',
      });
    }
    expect((await call('sendMessage', { chat_id: 43, text: 'hi' })).ok).toBe(true);
    expect(fake.calls.filter((c) => c.status === 403)).toHaveLength(2);
    fake.unblockChat(42);
    expect((await send({ text: 'back' })).ok).toBe(true);
  });

  it('429 with retry_after for the next n sends, or for one chat until retry_after elapses', async () => {
    fake.rateLimit({ retryAfter: 3, times: 2 });
    for (let i = 0; i < 2; i++) {
      expect(await send({ text: 'x' })).toMatchObject({
        status: 429, ok: false, error_code: 429, description: 'Too Many Requests: retry after 3', parameters: { retry_after: 3 },
      });
    }
    expect((await send({ text: 'x' })).ok).toBe(true);

    fake.rateLimit({ retryAfter: 1, chatId: 7 });
    expect((await call('sendMessage', { chat_id: 7, text: 'x' })).parameters?.retry_after).toBe(1);
    expect((await call('sendMessage', { chat_id: 7, text: 'x' })).status).toBe(429);
    expect((await send({ text: 'other chat' })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 1050));
    expect((await call('sendMessage', { chat_id: 7, text: 'x' })).ok).toBe(true);
  });

  it('enforceLimits answers 429 beyond the sliding windows and counts violations', async () => {
    fake.enforceLimits({ perSecondGlobal: 5, perChatPerSecond: 1 });
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => call('sendMessage', { chat_id: 100 + i, text: 'broadcast' })));
    expect(results.filter((r) => r.ok)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429).every((r) => (r.parameters?.retry_after ?? 0) >= 1)).toBe(true);
    expect((await call('sendMessage', { chat_id: 100, text: 'again' })).status).toBe(429);
    expect(fake.violations).toBe(4);
  });

  it('injectError fails arbitrary methods', async () => {
    fake.injectError({ method: 'sendMessage', errorCode: 400, description: 'Bad Request: chat not found' });
    expect(await send({ text: 'x' })).toMatchObject({ status: 400, description: 'Bad Request: chat not found' });
    expect((await send({ text: 'x' })).ok).toBe(true);
  });

  it('waitFor rejects with a listing of what was sent', async () => {
    await send({ text: 'something else' });
    await expect(fake.waitFor((m) => m.text === 'never', 100)).rejects.toThrow(/timed out after 100ms[\s\S]*something else/);
    await expect(fake.waitFor(/something/)).resolves.toMatchObject({ chat_id: 42 });
  });
});

describe('real telegraf 4.16.3 against the fake', () => {
  it('long-polls, echoes text, handles a button press, and stops cleanly', async () => {
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    bot.command('menu', (ctx) => ctx.reply('<b>菜单</b>', { parse_mode: 'HTML', ...Markup.inlineKeyboard([Markup.button.callback('天气预警', 'warn:weather')]) }));
    bot.action(/^warn:(.+)$/, async (ctx) => {
      await ctx.answerCbQuery('收到');
      await ctx.editMessageText(`已选择 ${ctx.match[1]}`);
    });
    bot.on(message('text'), (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    bot.on(message('photo'), (ctx) => ctx.replyWithPhoto(ctx.message.photo[0]?.file_id ?? '', { caption: 'got it' }));
    const launched = bot.launch();
    try {
      fake.sendText(42, '你好');
      const echo = await fake.waitFor((m) => m.chat_id === 42 && m.text === 'echo: 你好');
      expect(echo.message.from?.is_bot).toBe(true);

      fake.sendText(42, '/menu');
      const menu = await fake.waitFor((m) => m.plain_text === '菜单');
      fake.pressButton(42, menu.message_id, 'warn:weather');
      await fake.waitFor((m) => m.method === 'editMessageText' && m.text === '已选择 weather');
      expect(fake.callbackAnswers.map((a) => a.text)).toEqual(['收到']);

      fake.sendPhoto(42);
      await fake.waitFor('got it');
      const upload = await bot.telegram.sendDocument(42, { source: Buffer.from('report'), filename: 'r.txt' });
      expect(upload.document.file_name).toBe('r.txt');

      expect(fake.calls.map((c) => c.method)).toEqual(expect.arrayContaining(['getMe', 'deleteWebhook', 'getUpdates']));
      expect(fake.calls.filter((c) => !c.ok && c.method !== 'getUpdates')).toEqual([]);
    } finally {
      bot.stop('test done');
      await launched;
    }
    // stop() syncs the offset: everything was confirmed
    expect(fake.pendingUpdates).toEqual([]);
  });
});
