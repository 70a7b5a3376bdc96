import { describe, expect, it } from 'vitest';
import { markdownToTelegramHtml } from '../../core/render/telegram-html.ts';
import { splitTelegramHtml } from '../../core/render/split-html.ts';
import { decodeCallback, encodeCallback } from '../../core/callback-data.ts';
import { parseHtml } from '../support/fake-bot-api-html.ts';
import { realContent } from '../support/content.ts';

describe('Markdown to Telegram HTML', () => {
  it('every knowledge-base answer renders to HTML Telegram accepts', () => {
    for (const e of realContent().kb.entries) {
      const html = markdownToTelegramHtml(`${e.answer}\n\n${e.more ?? ''}`);
      expect(() => parseHtml(html), e.id).not.toThrow();
    }
  });

  it('escapes raw HTML and keeps only the allowed tags', () => {
    const html = markdownToTelegramHtml('# 标题\n\n1. **关火** <script>alert(1)</script> & a<b\n2. *斜体* ~~删除~~ `x<y`\n\n> 引用\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[链接](https://example.org/?a=1&b=2) [坏链接](javascript:alert(1))');
    expect(() => parseHtml(html)).not.toThrow();
    expect(html).toContain('<b>关火</b>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toMatch(/<(?!\/?(b|i|u|s|a|code|pre|blockquote)[ >])/);
    expect(html).not.toContain('javascript:');
    expect(html).toContain('<a href="https://example.org/?a=1&amp;b=2">链接</a>');
  });
});

describe('splitting long messages', () => {
  it('keeps every part under the limit with balanced tags', () => {
    const para = `<b>${'重要提示'.repeat(40)}</b>\n${'普通文字&amp;'.repeat(50)}\n<i>${'斜体'.repeat(300)}</i>\n`;
    const html = para.repeat(12);
    const parts = splitTelegramHtml(html, 4000);
    expect(parts.length).toBeGreaterThan(1);
    let total = 0;
    for (const p of parts) {
      const parsed = parseHtml(p); // throws on broken markup
      expect(parsed.text.length).toBeLessThanOrEqual(4000);
      total += parsed.text.replace(/\s/g, '').length;
    }
    expect(total).toBe(parseHtml(html).text.replace(/\s/g, '').length);
  });

  it('leaves a short message whole', () => {
    expect(splitTelegramHtml('<b>短</b>消息')).toEqual(['<b>短</b>消息']);
  });
});

describe('callback data', () => {
  it('round-trips what we make and fits in 64 bytes', () => {
    for (const cb of [{ kind: 'topic', entryId: 'fire-oil-pan' }, { kind: 'feedback', logId: 123456789, value: -1 }] as const) {
      const data = encodeCallback(cb);
      expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
      expect(decodeCallback(data)).toEqual(cb);
    }
  });

  it.each(['', 'v1', 'v1:t:', 'v1:t:UPPER', 'v1:t:a:b', 'v1:f:1:z', 'v1:f:-1:u', 'v2:t:fire-oil-pan', `v1:t:${'a'.repeat(70)}`, 'v1:t:火'])(
    'rejects %j',
    (data) => expect(decodeCallback(data)).toBeUndefined(),
  );
});
