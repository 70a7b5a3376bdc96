/** Telegram rejects messages over 4096 characters after entity parsing; keep a margin. */
export const TELEGRAM_TEXT_LIMIT = 4000;

interface Piece {
  readonly text: string;
  /** Tag name for a tag piece, undefined for text. */
  readonly tag?: string;
  readonly closing: boolean;
  /** Visible length in UTF-16 units (an entity counts as one). */
  readonly size: number;
}
type Open = readonly Piece[];

const PIECE = /<(\/?)([a-z-]+)(?:\s[^>]*)?>|&[#a-z0-9]+;|[\s\S]/giu;

function toPieces(html: string): Piece[] {
  return [...html.matchAll(PIECE)].map((m) =>
    m[2]
      ? { text: m[0], tag: m[2].toLowerCase(), closing: m[1] === '/', size: 0 }
      : { text: m[0], closing: false, size: m[0].startsWith('&') ? 1 : m[0].length },
  );
}

function step(open: Open, p: Piece): Open {
  if (!p.tag) return open;
  if (!p.closing) return [...open, p];
  const idx = open.map((o) => o.tag).lastIndexOf(p.tag);
  return idx < 0 ? open : [...open.slice(0, idx), ...open.slice(idx + 1)];
}

const closeTags = (open: Open): string => [...open].reverse().map((t) => `</${t.tag}>`).join('');
const openTags = (open: Open): string => open.map((t) => t.text).join('');

/**
 * Splits Telegram HTML into messages of at most `limit` visible characters, preferring a line break
 * in the second half of a part, and never leaving a tag broken: tags open at a cut are closed at the
 * end of one part and reopened at the start of the next.
 */
export function splitTelegramHtml(html: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const pieces = toPieces(html);
  const parts: string[] = [];
  let start = 0; // first piece of the current part
  let startOpen: Open = [];
  while (start < pieces.length) {
    let open = startOpen;
    let visible = 0;
    let end = start;
    let breakAt = -1;
    let breakOpen: Open = [];
    for (; end < pieces.length; end++) {
      const p = pieces[end]!;
      if (visible + p.size > limit) break;
      visible += p.size;
      open = step(open, p);
      if (p.text === '\n' && visible > limit / 2) {
        breakAt = end;
        breakOpen = open;
      }
    }
    if (end < pieces.length && breakAt >= 0) {
      end = breakAt + 1;
      open = breakOpen;
    }
    const body = pieces.slice(start, end).map((p) => p.text).join('');
    parts.push(`${openTags(startOpen)}${body}${closeTags(open)}`);
    start = end;
    startOpen = open;
  }
  return parts.map((s) => s.trim()).filter((s) => s.replace(/<[^>]*>/g, '').trim().length > 0);
}
