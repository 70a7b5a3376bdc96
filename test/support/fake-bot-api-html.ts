/**
 * Formatting parsers for the fake Telegram Bot API (see fake-bot-api.ts).
 *
 * Mirrors what Telegram (tdlib's parse_html / parse_markdown_v2 / parse_markdown)
 * does with `parse_mode`: it turns the marked-up text into plain text + entities,
 * and rejects malformed markup with "can't parse entities: ..." errors. Offsets in
 * error messages are UTF-8 byte offsets, entity offsets are UTF-16 code units, as
 * in the real API.
 *
 * Deliberately a little stricter than real Telegram in one place (as Telegram's
 * docs demand, not as its parser tolerates): a bare `&` that does not start an
 * HTML entity is rejected instead of being kept literally.
 */

export interface TgEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}

export interface FormattedText {
  text: string;
  entities: TgEntity[];
}

/** Thrown for malformed markup; `message` is the part after "Bad Request: ". */
export class EntityParseError extends Error {}

function fail(detail: string): never {
  throw new EntityParseError(`can't parse entities: ${detail}`);
}

const byteOffset = (src: string, index: number): number => Buffer.byteLength(src.slice(0, index), 'utf8');

/** Unicode code points — what Telegram's length limits count. */
export const codePointLength = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Parse `text` according to `parseMode` (case-insensitive "HTML", "MarkdownV2", "Markdown";
 * undefined/"" = plain). Throws EntityParseError on malformed markup and on an unknown mode.
 * Leading/trailing whitespace is trimmed and entity offsets adjusted, like Telegram does.
 */
export function parseFormattedText(text: string, parseMode: string | undefined): FormattedText {
  const mode = (parseMode ?? '').toLowerCase();
  let parsed: FormattedText;
  if (mode === '') parsed = { text, entities: [] };
  else if (mode === 'html') parsed = parseHtml(text);
  else if (mode === 'markdownv2') parsed = parseMarkdownV2(text);
  else if (mode === 'markdown') parsed = parseMarkdown(text);
  else throw new EntityParseError('unsupported parse_mode');
  return trimFormatted(parsed);
}

function trimFormatted({ text, entities }: FormattedText): FormattedText {
  const lead = text.length - text.trimStart().length;
  const trimmed = text.trim();
  const out: TgEntity[] = [];
  for (const e of entities) {
    const start = Math.max(0, e.offset - lead);
    const end = Math.min(trimmed.length, e.offset + e.length - lead);
    if (end > start) out.push({ ...e, offset: start, length: end - start });
  }
  return { text: trimmed, entities: out };
}

// ---------------------------------------------------------------- HTML

const HTML_TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler',
  'code', 'pre', 'blockquote', 'tg-emoji',
]);

const SIMPLE_TYPES: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler', span: 'spoiler',
};

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\n' || c === '\t' || c === '\r';

/** Decode an HTML entity at src[i] ('&'); returns [decoded, nextIndex] or undefined. */
function decodeEntity(src: string, i: number): [string, number] | undefined {
  const m = /^&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));/.exec(src.slice(i, i + 12));
  if (!m) return undefined;
  const named: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
  if (m[1] !== undefined) return [named[m[1]] ?? '', i + m[0].length];
  const cp = m[2] !== undefined ? Number.parseInt(m[2], 10) : Number.parseInt(m[3] ?? '', 16);
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return [String.fromCodePoint(cp), i + m[0].length];
}

interface OpenTag { tag: string; arg: string | undefined; offset: number; bytePos: number }

export function parseHtml(src: string): FormattedText {
  let out = '';
  const entities: TgEntity[] = [];
  const stack: OpenTag[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '&') {
      const dec = decodeEntity(src, i);
      if (!dec) {
        fail(`Character '&' at byte offset ${byteOffset(src, i)} is not a part of an HTML entity; escape it as &amp;`);
      } else {
        out += dec[0];
        i = dec[1];
      }
      continue;
    }
    if (c !== '<') {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    const beginByte = byteOffset(src, begin);
    if (src[i + 1] === '/') {
      i += 2;
      const nameStart = i;
      while (i < src.length && !isSpace(src[i]) && src[i] !== '>') i++;
      const name = src.slice(nameStart, i).toLowerCase();
      while (isSpace(src[i])) i++;
      if (src[i] !== '>') fail(`Unclosed end tag at byte offset ${beginByte}`);
      i++;
      const open = stack.pop();
      if (!open) fail(`Unexpected end tag at byte offset ${beginByte}`);
      else if (open.tag !== name) {
        fail(`Unmatched end tag at byte offset ${beginByte}, expected "</${open.tag}>", found "</${name}>"`);
      } else closeTag(open, out, entities);
      continue;
    }
    i++;
    const nameStart = i;
    while (i < src.length && !isSpace(src[i]) && src[i] !== '>') i++;
    if (i >= src.length) fail(`Unclosed start tag at byte offset ${beginByte}`);
    const tag = src.slice(nameStart, i).toLowerCase();
    if (!HTML_TAGS.has(tag)) fail(`Unsupported start tag "${tag}" at byte offset ${beginByte}`);
    let arg: string | undefined;
    for (;;) {
      while (isSpace(src[i])) i++;
      if (i >= src.length) fail(`Unclosed start tag at byte offset ${beginByte}`);
      if (src[i] === '>') break;
      const attrStart = i;
      while (i < src.length && !isSpace(src[i]) && src[i] !== '=' && src[i] !== '>') i++;
      if (i >= src.length) fail(`Unclosed start tag at byte offset ${beginByte}`);
      const attr = src.slice(attrStart, i).toLowerCase();
      if (attr === '') fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOffset(src, attrStart)}`);
      while (isSpace(src[i])) i++;
      if (src[i] !== '=') {
        if (tag === 'blockquote' && attr === 'expandable') {
          arg = 'expandable';
          continue;
        }
        fail(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${beginByte}`);
      }
      i++;
      while (isSpace(src[i])) i++;
      if (i >= src.length) fail(`Unclosed start tag at byte offset ${beginByte}`);
      let value = '';
      const quote = src[i];
      if (quote !== '"' && quote !== "'") {
        const tokenStart = i;
        while (i < src.length && /[A-Za-z0-9.-]/.test(src[i] ?? '')) i++;
        value = src.slice(tokenStart, i).toLowerCase();
        if (!isSpace(src[i]) && src[i] !== '>') fail(`Unexpected end of name token at byte offset ${byteOffset(src, tokenStart)}`);
      } else {
        i++;
        while (i < src.length && src[i] !== quote) {
          const dec = src[i] === '&' ? decodeEntity(src, i) : undefined;
          if (dec) {
            value += dec[0];
            i = dec[1];
          } else value += src[i++];
        }
        if (i >= src.length) fail(`Unclosed start tag at byte offset ${beginByte}`);
        i++;
      }
      if (tag === 'a' && attr === 'href') arg = value;
      else if (tag === 'code' && attr === 'class' && value.startsWith('language-')) arg = value.slice(9);
      else if (tag === 'span' && attr === 'class' && value.startsWith('tg-')) arg = value.slice(3);
      else if (tag === 'tg-emoji' && attr === 'emoji-id') arg = value;
      else if (tag === 'blockquote' && attr === 'expandable') arg = 'expandable';
    }
    i++;
    if (tag === 'span' && arg !== 'spoiler') fail(`Tag "span" must have class "tg-spoiler" at byte offset ${beginByte}`);
    if (tag === 'tg-emoji' && !/^[0-9]+$/.test(arg ?? '')) fail(`Custom emoji entity must contain a valid custom emoji identifier at byte offset ${beginByte}`);
    stack.push({ tag, arg, offset: out.length, bytePos: beginByte });
  }
  const open = stack[stack.length - 1];
  if (open) fail(`Can't find end tag corresponding to start tag "${open.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

function closeTag(open: OpenTag, out: string, entities: TgEntity[]): void {
  const length = out.length - open.offset;
  if (length === 0) return;
  const base = { offset: open.offset, length };
  const simple = SIMPLE_TYPES[open.tag];
  if (simple) entities.push({ type: simple, ...base });
  else if (open.tag === 'a') {
    const url = open.arg ?? out.slice(open.offset);
    if (/^tg:\/\/user\?id=\d+$/.test(url)) entities.push({ type: 'text_mention', ...base, url });
    else if (/^(https?|tg|ftp):\/\/\S+$/i.test(url) || /^[\w.-]+\.[a-z]{2,}(\/\S*)?$/i.test(url)) {
      entities.push({ type: 'text_link', ...base, url });
    } // invalid URLs are silently dropped by Telegram
  } else if (open.tag === 'code') entities.push({ type: 'code', ...base, ...(open.arg ? { language: open.arg } : {}) });
  else if (open.tag === 'pre') {
    const last = entities[entities.length - 1];
    if (last?.type === 'code' && last.offset === base.offset && last.length === length) {
      entities.pop(); // <pre><code class="language-x">…</code></pre> is one pre entity
      entities.push({ type: 'pre', ...base, ...(last.language ? { language: last.language } : {}) });
    } else entities.push({ type: 'pre', ...base });
  } else if (open.tag === 'blockquote') {
    entities.push({ type: open.arg === 'expandable' ? 'expandable_blockquote' : 'blockquote', ...base });
  } else if (open.tag === 'tg-emoji') entities.push({ type: 'custom_emoji', ...base, custom_emoji_id: open.arg ?? '' });
}

// ---------------------------------------------------------------- MarkdownV2

const MDV2_RESERVED = '_*[]()~`>#+-=|{}.!';

interface MdOpen { type: string; name: string; offset: number; bytePos: number; language?: string }

export function parseMarkdownV2(src: string): FormattedText {
  let out = '';
  const entities: TgEntity[] = [];
  const stack: MdOpen[] = [];
  const reserved = (i: number): never => fail(`Character '${src[i]}' is reserved and must be escaped with the preceding '\\'`);
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    const next = src[i + 1];
    if (c === '\\' && next !== undefined && next.charCodeAt(0) > 0 && next.charCodeAt(0) <= 126) {
      out += next;
      i += 2;
      continue;
    }
    const top = stack[stack.length - 1];
    const inCode = top?.type === 'code' || top?.type === 'pre';
    if (inCode && c !== '`') {
      out += c;
      i++;
      continue;
    }
    const lineStart = i === 0 || src[i - 1] === '\n';
    if (!inCode && lineStart && (c === '>' || src.startsWith('**>', i))) {
      i += c === '>' ? 1 : 3; // block quote line marker
      continue;
    }
    if (!MDV2_RESERVED.includes(c)) {
      out += c;
      i++;
      continue;
    }
    let isEnd = false;
    if (top) {
      switch (top.type) {
        case 'bold': isEnd = c === '*'; break;
        case 'italic': isEnd = c === '_' && next !== '_'; break;
        case 'underline': isEnd = c === '_' && next === '_'; break;
        case 'strikethrough': isEnd = c === '~'; break;
        case 'spoiler': isEnd = c === '|' && next === '|'; break;
        case 'code': isEnd = c === '`'; break;
        case 'pre': isEnd = src.startsWith('```', i); break;
        case 'text_link': case 'custom_emoji': isEnd = c === ']'; break;
      }
    }
    const bytePos = byteOffset(src, i);
    if (!isEnd) {
      // expandable-quote terminator "||" at the end of a quoted line
      if (c === '|' && next === '|' && (src[i + 2] === undefined || src[i + 2] === '\n') && /(^|\n)(\*\*)?>[^\n]*$/.test(src.slice(0, i))) {
        i += 2;
        continue;
      }
      let open: MdOpen;
      if (c === '_' && next === '_') { open = { type: 'underline', name: 'Underline', offset: out.length, bytePos }; i += 2; }
      else if (c === '_') { open = { type: 'italic', name: 'Italic', offset: out.length, bytePos }; i++; }
      else if (c === '*') { open = { type: 'bold', name: 'Bold', offset: out.length, bytePos }; i++; }
      else if (c === '~') { open = { type: 'strikethrough', name: 'Strikethrough', offset: out.length, bytePos }; i++; }
      else if (c === '|' && next === '|') { open = { type: 'spoiler', name: 'Spoiler', offset: out.length, bytePos }; i += 2; }
      else if (c === '[') { open = { type: 'text_link', name: 'TextUrl', offset: out.length, bytePos }; i++; }
      else if (c === '!' && next === '[') { open = { type: 'custom_emoji', name: 'CustomEmoji', offset: out.length, bytePos }; i += 2; }
      else if (src.startsWith('```', i)) {
        i += 3;
        let langEnd = i;
        while (langEnd < src.length && !isSpace(src[langEnd]) && src[langEnd] !== '`') langEnd++;
        const language = langEnd > i && langEnd < src.length && src[langEnd] !== '`' ? src.slice(i, langEnd) : undefined;
        if (language) i = langEnd;
        if (src[i] === '\n' || src[i] === '\r') i += (src[i + 1] === '\n' || src[i + 1] === '\r') && src[i] !== src[i + 1] ? 2 : 1;
        open = { type: 'pre', name: 'Pre', offset: out.length, bytePos, ...(language ? { language } : {}) };
      } else if (c === '`') { open = { type: 'code', name: 'Code', offset: out.length, bytePos }; i++; }
      else return reserved(i);
      stack.push(open);
      continue;
    }
    stack.pop();
    const o = top as MdOpen;
    i += o.type === 'pre' ? 3 : o.type === 'underline' || o.type === 'spoiler' ? 2 : 1;
    const base = { offset: o.offset, length: out.length - o.offset };
    if (o.type === 'text_link' || o.type === 'custom_emoji') {
      let url = out.slice(o.offset);
      if (src[i] === '(') {
        const urlStart = i;
        url = '';
        i++;
        while (i < src.length && src[i] !== ')') {
          if (src[i] === '\\' && src[i + 1] !== undefined) i++;
          url += src[i++];
        }
        if (i >= src.length) fail(`Can't find end of a URL at byte offset ${byteOffset(src, urlStart)}`);
        i++;
      }
      if (o.type === 'custom_emoji') {
        const m = /^tg:\/\/emoji\?id=(\d+)$/.exec(url);
        if (!m) fail(`Custom emoji entity must contain a tg://emoji URL at byte offset ${o.bytePos}`);
        else if (base.length > 0) entities.push({ type: 'custom_emoji', ...base, custom_emoji_id: m[1] ?? '' });
      } else if (base.length > 0 && /^(https?|tg|ftp):\/\/\S+$/i.test(url)) entities.push({ type: 'text_link', ...base, url });
    } else if (base.length > 0) {
      entities.push({ type: o.type, ...base, ...(o.language ? { language: o.language } : {}) });
    }
  }
  const open = stack[stack.length - 1];
  if (open) fail(`Can't find end of ${open.name} entity at byte offset ${open.bytePos}`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: out, entities };
}

// ---------------------------------------------------------------- legacy Markdown

export function parseMarkdown(src: string): FormattedText {
  let out = '';
  const entities: TgEntity[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] ?? '';
    if (c === '\\' && '_*`['.includes(src[i + 1] ?? 'x')) {
      out += src[i + 1];
      i += 2;
      continue;
    }
    if (!'_*`['.includes(c)) {
      out += c;
      i++;
      continue;
    }
    const begin = i;
    const isPre = src.startsWith('```', i);
    const endChar = c === '[' ? ']' : c;
    i += isPre ? 3 : 1;
    let language: string | undefined;
    if (isPre) {
      let langEnd = i;
      while (langEnd < src.length && !isSpace(src[langEnd]) && src[langEnd] !== '`') langEnd++;
      if (langEnd > i && langEnd < src.length && src[langEnd] !== '`') {
        language = src.slice(i, langEnd);
        i = langEnd;
      }
      if (src[i] === '\n' || src[i] === '\r') i++;
    }
    const offset = out.length;
    while (i < src.length && (isPre ? !src.startsWith('```', i) : src[i] !== endChar)) out += src[i++];
    if (i >= src.length) fail(`Can't find end of the entity starting at byte offset ${byteOffset(src, begin)}`);
    i += isPre ? 3 : 1;
    const base = { offset, length: out.length - offset };
    if (c === '[') {
      let url = out.slice(offset);
      if (src[i] === '(') {
        const close = src.indexOf(')', i);
        if (close < 0) fail(`Can't find end of a URL at byte offset ${byteOffset(src, i)}`);
        url = src.slice(i + 1, close);
        i = close + 1;
      }
      if (base.length > 0 && /^(https?|tg|ftp):\/\/\S+$/i.test(url)) entities.push({ type: 'text_link', ...base, url });
    } else if (base.length > 0) {
      const type = isPre ? 'pre' : c === '`' ? 'code' : c === '*' ? 'bold' : 'italic';
      entities.push({ type, ...base, ...(language ? { language } : {}) });
    }
  }
  return { text: out, entities };
}
