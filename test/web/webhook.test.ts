import { afterEach, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createServer } from '../../web/server.ts';
import { startBotHarness, type BotHarness } from '../support/bot-harness.ts';

const SECRET = 'test-secret-0123456789';
let h: BotHarness;
let server: FastifyInstance;
afterEach(async () => {
  await server?.close();
  await h?.stop();
});

function update(id: number, text: string) {
  return { update_id: id, message: { message_id: id, date: 1, chat: { id: 42, type: 'private', first_name: 'x' }, from: { id: 42, is_bot: false, first_name: 'x' }, text } };
}

it('webhook: rejects requests without the right secret (403, no effect) and answers the right ones', async () => {
  h = await startBotHarness({}, {}, { poll: false });
  server = createServer({ logger: h.deps.logger, metrics: h.deps.metrics, webhook: { path: '/tg/hook', secret: SECRET, handle: (u) => h.bot.handleUpdate(u) } });
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    server.inject({ method: 'POST', url: '/tg/hook', payload: body as object, headers: { 'content-type': 'application/json', ...headers } });

  expect((await post(update(1, '灭火器怎么用'))).statusCode).toBe(403);
  expect((await post(update(2, '灭火器怎么用'), { 'x-telegram-bot-api-secret-token': 'wrong-secret-000000000' })).statusCode).toBe(403);
  expect(h.api.sent).toHaveLength(0);

  const ok = await post(update(3, '灭火器怎么用'), { 'x-telegram-bot-api-secret-token': SECRET });
  expect(ok.statusCode).toBe(200);
  const m = await h.api.waitFor('来源：');
  expect(m.chat_id).toBe(42);

  // The same update posted again (Telegram retries) is not answered twice.
  await post(update(3, '灭火器怎么用'), { 'x-telegram-bot-api-secret-token': SECRET });
  expect(h.api.sent).toHaveLength(1);

  expect((await post({ nope: true }, { 'x-telegram-bot-api-secret-token': SECRET })).statusCode).toBe(400);
  const health = await server.inject({ method: 'GET', url: '/healthz' });
  expect(health.json()).toEqual({ ok: true });
  const metrics = await server.inject({ method: 'GET', url: '/metrics' });
  expect(metrics.body).toMatch(/pingan_webhook_rejected_total 2/);
  expect(metrics.body).toMatch(/pingan_questions_total\{kind="answer"\} 1/);
});
