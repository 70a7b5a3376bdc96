import { Marked, type Tokens } from 'marked';

/** Escapes text for Telegram's HTML parse mode (only &, < and > are special; " inside attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
const decodeEntities = (t: string): string =>
  t.replace(/&(amp|lt|gt|quot|#39);/g, (m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? m);
const escapeAttr = (t: string): string => escapeHtml(t).replace(/"/g, '&quot;');

/**
 * Markdown → Telegram's HTML subset. Only b/i/u/s/a/code/pre/blockquote are produced; headings
 * become bold lines, lists become "1." / "•" lines, images become links, raw HTML is escaped, so a
 * content file can never produce markup Telegram would reject.
 */
const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    heading({ tokens }) {
      return `<b>${this.parser.parseInline(tokens)}</b>\n\n`;
    },
    paragraph({ tokens }) {
      return `${this.parser.parseInline(tokens)}\n\n`;
    },
    list(token: Tokens.List) {
      const start = typeof token.start === 'number' ? token.start : 1;
      const lines = token.items.map((item, i) => {
        const marker = token.ordered ? `${start + i}.` : '•';
        return `${marker} ${this.parser.parse(item.tokens).trim()}`;
      });
      return `${lines.join('\n')}\n\n`;
    },
    listitem(item: Tokens.ListItem) {
      return this.parser.parse(item.tokens).trim();
    },
    blockquote({ tokens }) {
      return `<blockquote>${this.parser.parse(tokens).trim()}</blockquote>\n\n`;
    },
    code({ text }) {
      return `<pre>${escapeHtml(text)}</pre>\n\n`;
    },
    hr() {
      return '──────\n\n';
    },
    table(token: Tokens.Table) {
      const row = (cells: Tokens.TableCell[]): string => cells.map((c) => this.parser.parseInline(c.tokens)).join(' | ');
      return `${[row(token.header), ...token.rows.map(row)].join('\n')}\n\n`;
    },
    html({ text }) {
      return escapeHtml(text);
    },
    strong({ tokens }) {
      return `<b>${this.parser.parseInline(tokens)}</b>`;
    },
    em({ tokens }) {
      return `<i>${this.parser.parseInline(tokens)}</i>`;
    },
    del({ tokens }) {
      return `<s>${this.parser.parseInline(tokens)}</s>`;
    },
    codespan({ text }) {
      return `<code>${escapeHtml(decodeEntities(text))}</code>`;
    },
    br() {
      return '\n';
    },
    link({ href, tokens }) {
      const label = this.parser.parseInline(tokens);
      return /^(https?:|tg:|mailto:)/i.test(href) ? `<a href="${escapeAttr(href)}">${label}</a>` : label;
    },
    image({ href, text }) {
      return /^https?:/i.test(href) ? `<a href="${escapeAttr(href)}">${escapeHtml(text || href)}</a>` : escapeHtml(text);
    },
    text(token: Tokens.Text | Tokens.Escape) {
      if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
      // Tokens marked `escaped` already hold rendered HTML (marked's own contract).
      return 'escaped' in token && token.escaped ? token.text : escapeHtml(token.text);
    },
    checkbox({ checked }) {
      return checked ? '☑ ' : '☐ ';
    },
  },
});

export function markdownToTelegramHtml(markdown: string): string {
  return (marked.parse(markdown, { async: false }) as string).replace(/\n{3,}/g, '\n\n').trim();
}
