/**
 * A small OpenAI-compatible HTTP server (node:http only) for tests and the bench: the real `openai`
 * client talks to it through `baseURL`. It serves POST /v1/chat/completions and /v1/embeddings, checks
 * the bearer key, records every request, and answers each chat request with whatever the current
 * handler (or the next queued reply) says: a JSON object, raw text (malformed output), an HTTP error
 * (429 with Retry-After, 500), or a reply that never comes until close() (a timeout on the client).
 *
 *   const ai = await startFakeOpenAi();
 *   ai.onChat((req) => ({ json: { id: req.data.candidates[0].id } }));
 *   // OPENAI_BASE_URL=ai.baseUrl OPENAI_API_KEY=ai.apiKey OPENAI_MODEL=fake-chat
 *
 * Embeddings are deterministic and need no model: a 64-dimension hashed bag of the text's characters
 * and character pairs, so texts sharing words are close. They rank nothing well; they exist to test
 * the plumbing (caching, batching, fusion), not retrieval quality.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeChatRequest {
  readonly model: string;
  readonly system: string;
  /** The raw user message. */
  readonly user: string;
  /** The user message parsed as JSON (our service always sends JSON data), or undefined. */
  readonly data: any;
  readonly body: any;
}

export type FakeReply =
  | { readonly json: unknown; readonly tokens?: number }
  | { readonly content: string; readonly tokens?: number }
  | { readonly status: number; readonly retryAfterSeconds?: number }
  /** Never answers (until close): the client's timeout fires. */
  | { readonly hang: true };

export type ChatHandler = (req: FakeChatRequest) => FakeReply | Promise<FakeReply>;

export interface RecordedRequest {
  readonly path: string;
  readonly body: any;
}

export const FAKE_DIMS = 64;

/** The deterministic fake embedding described above. */
export function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(FAKE_DIMS).fill(0);
  const chars = [...text.replace(/\s+/g, '')];
  const grams = [...chars, ...chars.slice(0, -1).map((c, i) => c + chars[i + 1]!)];
  for (const g of grams) v[crypto.createHash('md5').update(g).digest().readUInt32LE(0) % FAKE_DIMS]! += 1;
  return v;
}

export class FakeOpenAi {
  readonly apiKey = `sk-fake-${crypto.randomBytes(6).toString('hex')}`;
  readonly requests: RecordedRequest[] = [];
  private server?: http.Server;
  private handler: ChatHandler = () => ({ json: { id: 'none' } });
  private queue: FakeReply[] = [];
  private embedReply?: FakeReply;
  private waiters: { n: number; resolve: () => void }[] = [];
  private hanging = new Set<http.ServerResponse>();

  get baseUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }
  /** The environment that points the service at this server. */
  env(extra: Record<string, string> = {}): Record<string, string> {
    return { OPENAI_API_KEY: this.apiKey, OPENAI_BASE_URL: this.baseUrl, OPENAI_MODEL: 'fake-chat', ...extra };
  }
  onChat(handler: ChatHandler): void {
    this.handler = handler;
  }
  /** Replies used in order for the next chat requests, before the handler. */
  queueChat(...replies: FakeReply[]): void {
    this.queue.push(...replies);
  }
  /** Overrides embedding replies (an error, a hang); undefined restores the deterministic vectors. */
  onEmbeddings(reply: FakeReply | undefined): void {
    this.embedReply = reply;
  }
  chatRequests(): FakeChatRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => toChatRequest(r.body));
  }
  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.endsWith('/embeddings'));
  }
  /** Resolves once at least n requests have arrived. */
  waitForRequests(n: number): Promise<void> {
    if (this.requests.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ n, resolve }));
  }

  async listen(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }
  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    let body: any;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
    }
    const path = (req.url ?? '').split('?')[0]!;
    if (req.headers.authorization !== `Bearer ${this.apiKey}`) return send(res, 401, { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } });
    this.requests.push({ path, body });
    this.waiters = this.waiters.filter((w) => (this.requests.length >= w.n ? (w.resolve(), false) : true));

    if (req.method === 'POST' && path === '/v1/chat/completions') {
      const reply = this.queue.shift() ?? (await this.handler(toChatRequest(body)));
      return this.reply(res, reply, (content, tokens) => ({
        id: `chatcmpl-${this.requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: tokens, completion_tokens: 10, total_tokens: tokens + 10 },
      }));
    }
    if (req.method === 'POST' && path === '/v1/embeddings') {
      const input: string[] = Array.isArray(body.input) ? body.input : [body.input];
      const tokens = input.reduce((s, t) => s + [...String(t)].length, 0);
      if (this.embedReply) return this.reply(res, this.embedReply, () => ({}));
      return send(res, 200, {
        object: 'list',
        model: body.model,
        data: input.map((t, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(String(t)) })),
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      });
    }
    send(res, 404, { error: { message: `no route ${req.method} ${path}` } });
  }

  private reply(res: http.ServerResponse, reply: FakeReply, ok: (content: string, tokens: number) => unknown): void {
    if ('hang' in reply) {
      this.hanging.add(res);
      return;
    }
    if ('status' in reply) {
      const headers: Record<string, string> = reply.retryAfterSeconds !== undefined ? { 'retry-after': String(reply.retryAfterSeconds) } : {};
      return send(res, reply.status, { error: { message: `fake error ${reply.status}`, type: 'server_error' } }, headers);
    }
    const content = 'json' in reply ? JSON.stringify(reply.json) : reply.content;
    send(res, 200, ok(content, reply.tokens ?? 100));
  }
}

function toChatRequest(body: any): FakeChatRequest {
  const messages: { role: string; content: string }[] = body.messages ?? [];
  const system = messages.find((m) => m.role === 'system')?.content ?? '';
  const user = messages.find((m) => m.role === 'user')?.content ?? '';
  let data: unknown;
  try {
    data = JSON.parse(user);
  } catch {
    data = undefined;
  }
  return { model: body.model, system, user, data, body };
}

function send(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(payload));
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  return new FakeOpenAi().listen();
}
