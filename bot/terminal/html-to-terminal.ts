/** Telegram HTML → terminal text: bold in ANSI bold when the terminal supports it, tags dropped. */
export function htmlToTerminal(html: string, color: boolean): string {
  const bold = color ? ['\x1b[1m', '\x1b[22m'] : ['', ''];
  return html
    .replace(/<b>|<strong>/g, bold[0]!)
    .replace(/<\/b>|<\/strong>/g, bold[1]!)
    .replace(/<a href="([^"]*)">([\s\S]*?)<\/a>/g, '$2 ($1)')
    .replace(/<blockquote>/g, '│ ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}
