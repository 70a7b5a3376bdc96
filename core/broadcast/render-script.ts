import type { KbEntry } from '../knowledge/kb-entry.ts';

/** What the Markdown and HTML renderings show besides the read-aloud paragraphs. */
export interface ScriptDocument {
  readonly date: string;
  readonly title: string;
  readonly themeName: string;
  readonly paragraphs: readonly string[];
  readonly entries: readonly KbEntry[];
}

const SOURCES_HEADING = '本期内容来源';

/** Escapes characters Markdown would treat as markup, so content is shown exactly as written. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-!<>|~]/g, '\\$&');
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/**
 * The script as Markdown: title, theme, the paragraphs to read, then the entries used with their
 * official sources so an operator or editor can check where each sentence came from.
 */
export function renderScriptMarkdown(doc: ScriptDocument): string {
  const sources = doc.entries.map((e, i) => `${i + 1}. ${escapeMarkdown(e.title)}（${escapeMarkdown(e.source)}）`);
  return [
    `# ${escapeMarkdown(doc.title)}`,
    `**主题**：${escapeMarkdown(doc.themeName)}`,
    ...doc.paragraphs.map(escapeMarkdown),
    '---',
    `**${SOURCES_HEADING}**`,
    sources.join('\n'),
  ].join('\n\n') + '\n';
}

/**
 * The script as an HTML fragment for the operator's printable page. Every piece of content is
 * escaped, so a stray "<" in an entry can never inject markup into the page that embeds it.
 */
export function renderScriptHtml(doc: ScriptDocument): string {
  const lines = [
    `<article class="broadcast-script" lang="zh-CN" data-date="${escapeHtml(doc.date)}">`,
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="broadcast-theme">主题：${escapeHtml(doc.themeName)}</p>`,
    '<div class="broadcast-text">',
    ...doc.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`),
    '</div>',
    '<section class="broadcast-sources">',
    `<h2>${SOURCES_HEADING}</h2>`,
    '<ol>',
    ...doc.entries.map((e) => `<li>${escapeHtml(e.title)}<span class="broadcast-source">（${escapeHtml(e.source)}）</span></li>`),
    '</ol>',
    '</section>',
    '</article>',
  ];
  return `${lines.join('\n')}\n`;
}
