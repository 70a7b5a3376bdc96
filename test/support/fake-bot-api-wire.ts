/**
 * Request parsing and parameter validation for the fake Telegram Bot API (see fake-bot-api.ts):
 * JSON / multipart/form-data / urlencoded / query-string bodies, and reply_markup checks.
 */
import type { IncomingMessage } from 'node:http';

export interface UploadedFile {
  filename: string;
  contentType: string | undefined;
  data: Buffer;
}

export type Params = Record<string, unknown>;

/** A Telegram-style failure; the handler turns it into {ok:false,error_code,description}. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

export const badRequest = (detail: string): ApiError => new ApiError(400, `Bad Request: ${detail}`);

const MAX_BODY = 60 * 1024 * 1024;

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY) throw new ApiError(413, 'Request Entity Too Large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/** Parse request parameters the way the Bot API does (query string + body of any supported type). */
export function parseParams(url: URL, contentType: string | undefined, body: Buffer): Params {
  const params: Params = Object.fromEntries(url.searchParams);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return params;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON encoded request body");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw badRequest('JSON object expected as request body');
    }
    return { ...params, ...(parsed as Params) };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type === 'multipart/form-data') {
    const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
    const boundary = m?.[1] ?? m?.[2];
    if (!boundary) throw badRequest('multipart boundary is missing');
    return { ...params, ...parseMultipart(body, boundary.trim()) };
  }
  return params;
}

/** Minimal multipart/form-data parser: text fields become strings, file parts UploadedFile. */
export function parseMultipart(body: Buffer, boundary: string): Params {
  const out: Params = {};
  const delim = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break; // closing delimiter
    if (body.subarray(start, start + 2).toString() === '\r\n') start += 2;
    const next = body.indexOf(delim, start);
    if (next < 0) throw badRequest('unterminated multipart body');
    let end = next;
    if (body.subarray(end - 2, end).toString() === '\r\n') end -= 2;
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw badRequest('malformed multipart part');
    const headers = new Map<string, string>();
    for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    const disposition = headers.get('content-disposition') ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    const data = part.subarray(headerEnd + 4);
    if (name !== undefined) {
      out[name] = filename !== undefined
        ? ({ filename, contentType: headers.get('content-type'), data: Buffer.from(data) } satisfies UploadedFile)
        : data.toString('utf8');
    }
    pos = next;
  }
  return out;
}

export const isUploadedFile = (v: unknown): v is UploadedFile =>
  typeof v === 'object' && v !== null && Buffer.isBuffer((v as UploadedFile).data);

/** Integer parameter (JSON number or numeric string from multipart/query). */
export function intParam(params: Params, name: string): number | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw badRequest(`invalid ${name} specified`);
  return n;
}

export function strParam(params: Params, name: string): string | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw badRequest(`field "${name}" must be of type String`);
}

/** Parameter that may arrive as a JSON-encoded string (multipart) or as a value (JSON body). */
export function jsonParam(params: Params, name: string, what: string): unknown {
  const v = params[name];
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw badRequest(`can't parse ${what} JSON object`);
  }
}

const BUTTON_ACTIONS = [
  'url', 'callback_data', 'web_app', 'login_url', 'switch_inline_query', 'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat', 'copy_text', 'callback_game', 'pay',
];

/** Validate reply_markup like Telegram; returns the parsed markup (or undefined). */
export function validateReplyMarkup(params: Params, inlineOnly = false): Record<string, unknown> | undefined {
  const markup = jsonParam(params, 'reply_markup', 'reply keyboard markup');
  if (markup === undefined || markup === null || markup === '') return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup)) throw badRequest('object expected as reply markup');
  const m = markup as Record<string, unknown>;
  if ('inline_keyboard' in m) {
    const rows = m.inline_keyboard;
    if (!Array.isArray(rows)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array');
    for (const row of rows) {
      if (!Array.isArray(row)) throw badRequest('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      for (const button of row as unknown[]) {
        if (typeof button !== 'object' || button === null) throw badRequest('InlineKeyboardButton must be an Object');
        const b = button as Record<string, unknown>;
        if (typeof b.text !== 'string') throw badRequest("can't find field \"text\"");
        if (b.text.trim() === '') throw badRequest('BUTTON_TEXT_INVALID');
        const actions = BUTTON_ACTIONS.filter((k) => b[k] !== undefined);
        if (actions.length === 0) throw badRequest('text buttons are unallowed in the inline keyboard');
        if (actions.length > 1) throw badRequest("can't parse inline keyboard button: exactly one of the optional fields must be used");
        if (b.callback_data !== undefined) {
          const bytes = typeof b.callback_data === 'string' ? Buffer.byteLength(b.callback_data, 'utf8') : 0;
          if (bytes < 1 || bytes > 64) throw badRequest('BUTTON_DATA_INVALID');
        }
        if (b.url !== undefined && (typeof b.url !== 'string' || !/^(https?|tg):\/\/\S+$/i.test(b.url))) {
          throw badRequest('BUTTON_URL_INVALID');
        }
      }
    }
    return m;
  }
  if (inlineOnly) throw badRequest('inline keyboard expected');
  if ('keyboard' in m) {
    const rows = m.keyboard;
    if (!Array.isArray(rows)) throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array');
    for (const row of rows) {
      if (!Array.isArray(row)) throw badRequest('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
      for (const button of row as unknown[]) {
        const text = typeof button === 'string' ? button : (button as { text?: unknown } | null)?.text;
        if (typeof text !== 'string') throw badRequest("can't find field \"text\"");
        if (text.trim() === '') throw badRequest('BUTTON_TEXT_INVALID');
      }
    }
    return m;
  }
  if ('remove_keyboard' in m) {
    if (m.remove_keyboard !== true) throw badRequest('field "remove_keyboard" of the ReplyKeyboardRemove must be true');
    return m;
  }
  if ('force_reply' in m) {
    if (m.force_reply !== true) throw badRequest('field "force_reply" of the ForceReply must be true');
    return m;
  }
  throw badRequest("can't parse reply keyboard markup JSON object");
}

/** Canonical JSON (sorted keys) for "message is not modified" comparisons. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
