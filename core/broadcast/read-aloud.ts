import { renderPlain } from '../render/plain.ts';

/**
 * Text a loudspeaker operator reads word for word. Symbols that a reader would stumble over or read
 * literally ("星号", "百分号", a URL) are turned into words or dropped; list numbers become the caller's
 * 第一、第二 so "1." is never read as "一点".
 */

/** Anything that must not survive into read-aloud text: Markdown, emoji, links, symbols, "1." list markers. */
export const NOT_READ_ALOUD =
  /[*#`_[\]<>|~～〜℃°%％/／\\=+&→←•·]|https?:|www\.|\p{Extended_Pictographic}|^\s*(?:\d+[.、)）]|[-*+•])\s*/mu;

const UNITS_AFTER_SLASH = '(?=小时|分钟|秒|天|日|周|月|年|人|次|平方米|立方米|公里|千米|米|公斤|千克|克|升)';

/** Rewrites one paragraph for reading aloud; see NOT_READ_ALOUD for what cannot remain. */
export function toReadAloud(text: string): string {
  let s = text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // Markdown link → its text
    .replace(/\(?\s*(?:https?:\/\/|www\.)[^\s)）]*\s*\)?/g, '') // bare URLs
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}\u{20E3}]/gu, '')
    .replace(/^\s*(?:\d+[.、)）]|[-*+•·])\s+/gm, '') // list markers; callers add 第一、第二
    // 3-5天 → 3到5天; short numbers only, so a phone number such as 023-12345678 is left alone.
    .replace(/(?<!\d)(\d{1,3}(?:\.\d+)?)\s*[~～〜\-－—–]+\s*(\d{1,3}(?:\.\d+)?)(?!\d)/g, '$1到$2')
    .replace(/(\d+(?:\.\d+)?)\s*[%％]/g, '百分之$1')
    .replace(/\s*(?:℃|°C)/g, '摄氏度')
    .replace(/°/g, '度')
    .replace(new RegExp(`[/／]${UNITS_AFTER_SLASH}`, 'g'), '每') // 公里/小时 → 公里每小时
    .replace(/[/／]/g, '或')
    .replace(/[~～〜]/g, '到')
    .replace(/\s*[→]\s*/g, '，再')
    .replace(/&/g, '和')
    .replace(/\+/g, '加')
    .replace(/=/g, '等于')
    .replace(/[*#`_[\]<>|\\←•·]/g, '')
    .replace(/\(/g, '（')
    .replace(/\)/g, '）');
  // Chinese has no spaces between words; YAML folding and Markdown line breaks leave some behind.
  s = s.replace(/\s+/g, ' ').replace(/ ?([^\x00-\x7f]) ?/g, '$1').trim();
  return s;
}

/**
 * A Markdown short answer turned into at most `max` characters of speech, cut at a sentence end.
 * Used only when an entry has no hand-written `broadcast` text.
 */
export function markdownToReadAloud(markdown: string, max = 160): string {
  const sentences = renderPlain(markdown)
    .split('\n')
    .map((line) => toReadAloud(line))
    .filter(Boolean)
    .map((line) => (/[。！？；…]$/.test(line) ? line : `${line.replace(/[，、：:,]$/, '')}。`));
  let out = '';
  for (const s of sentences) {
    if ([...out].length + [...s].length > max) break;
    out += s;
  }
  // A first sentence longer than max is cut at its last full stop or semicolon inside the limit.
  if (!out && sentences[0]) {
    const head = [...sentences[0]].slice(0, max).join('');
    const cut = Math.max(head.lastIndexOf('。'), head.lastIndexOf('；'), head.lastIndexOf('！'));
    out = cut > 0 ? head.slice(0, cut + 1) : `${head.replace(/[，、；：]?$/, '')}。`;
  }
  return out;
}

/** Characters a reader speaks: everything except whitespace (punctuation marks pauses, so it counts). */
export function countChars(text: string): number {
  return [...text.replace(/\s/g, '')].length;
}
