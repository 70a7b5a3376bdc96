import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OutgoingMessage {
  readonly method: string;
  readonly chatId: number;
  readonly messageId: number;
  readonly text?: string;
  readonly inlineButtons: { text: string; data: string }[];
  readonly replyButtons: string[];
}

export interface TerminalApi {
  readonly apiRoot: string;
  close(): Promise<void>;
}

export const TERMINAL_BOT = { id: 1000001, is_bot: true, first_name: '平安渝北', username: 'pingan_yubei_bot' } as const;

/**
 * The smallest Bot API the real bot needs to talk to a terminal: it answers on the loopback interface,
 * hands every message the bot sends to `onMessage`, and toasts of answerCallbackQuery to `onToast`.
 * The bot itself is unchanged — it cannot tell this from Telegram.
 */
export async function startTerminalApi(
  onMessage: (m: OutgoingMessage) => void,
  onToast: (text: string) => void,
): Promise<TerminalApi> {
  let nextId = 1;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').split('/').pop() ?? '';
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
      } catch {
        // multipart uploads (photos) are not shown in the terminal; treat as empty
      }
      const result = handle(method, body);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result }));
    });
  });

  const handle = (method: string, body: Record<string, unknown>): unknown => {
    const chatId = Number(body.chat_id ?? 0);
    switch (method) {
      case 'getMe':
        return TERMINAL_BOT;
      case 'answerCallbackQuery':
        if (typeof body.text === 'string' && body.text) onToast(body.text);
        return true;
      case 'sendMessage':
      case 'editMessageText':
      case 'sendPhoto':
      case 'sendDocument':
      case 'sendLocation': {
        const messageId = method === 'editMessageText' ? Number(body.message_id) : nextId++;
        const markup = (body.reply_markup ?? {}) as { inline_keyboard?: { text: string; callback_data?: string }[][]; keyboard?: ({ text: string } | string)[][] };
        const text = typeof body.text === 'string' ? body.text : typeof body.caption === 'string' ? body.caption : method === 'sendPhoto' ? '[图片]' : undefined;
        onMessage({
          method, chatId, messageId, text,
          inlineButtons: (markup.inline_keyboard ?? []).flat().map((b) => ({ text: b.text, data: b.callback_data ?? '' })),
          replyButtons: (markup.keyboard ?? []).flat().map((b) => (typeof b === 'string' ? b : b.text)),
        });
        return { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private' }, text };
      }
      default:
        return true;
    }
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
