import { marked, type Token, type Tokens } from 'marked';

/**
 * Markdown → plain text for terminals and loudspeaker scripts: keeps list numbers and line breaks,
 * drops emphasis markers, links become "text (url)".
 */
export function renderPlain(markdown: string): string {
  const lines: string[] = [];
  for (const token of marked.lexer(markdown)) lines.push(block(token));
  return lines.filter((l) => l !== '').join('\n\n').trim();
}

function block(t: Token): string {
  switch (t.type) {
    case 'list': {
      const l = t as Tokens.List;
      const start = typeof l.start === 'number' ? l.start : 1;
      return l.items.map((it, i) => `${l.ordered ? `${start + i}.` : '•'} ${it.tokens.map(block).join(' ').trim()}`).join('\n');
    }
    case 'space':
    case 'hr':
      return '';
    case 'code':
      return (t as Tokens.Code).text;
    default:
      return 'tokens' in t && t.tokens ? inline(t.tokens) : 'text' in t ? String(t.text) : '';
  }
}

function inline(tokens: Token[]): string {
  return tokens
    .map((t) => {
      if (t.type === 'link') return `${inline((t as Tokens.Link).tokens)} (${(t as Tokens.Link).href})`;
      if (t.type === 'br') return '\n';
      if ('tokens' in t && t.tokens) return inline(t.tokens);
      if (t.type === 'escape' || t.type === 'text' || t.type === 'codespan') return decode(String((t as Tokens.Text).text));
      return 'raw' in t ? String(t.raw) : '';
    })
    .join('');
}

const decode = (s: string): string =>
  s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? _);
