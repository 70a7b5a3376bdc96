import crypto from 'node:crypto';
import { escapeHtml } from '../core/broadcast/render-script.ts';
import type { Script } from '../core/broadcast/script-source.ts';
import { dayParts, neighbourDays, paragraphsOf, readingMinutes } from '../core/broadcast/script-view.ts';
import type { Strings } from '../core/content/strings.ts';

/**
 * The operator's printable page: large type on a phone, the same on paper without the buttons.
 * Everything that comes from content or the request is escaped; the only script on the page is the
 * copy button's, allowed by hash in the Content-Security-Policy so nothing injected could run.
 */

const CSS = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:#111;font-family:"PingFang SC","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;font-size:clamp(20px,5.2vw,26px);line-height:1.8}
main{max-width:38em;margin:0 auto;padding:1em 1.1em 3em}
nav{display:flex;flex-wrap:wrap;gap:.4em 1.2em;font-size:.8em;margin-bottom:.8em}
nav a{color:#0b57d0}
.date{margin:0;color:#444;font-size:.9em}
h1{font-size:1.3em;line-height:1.45;margin:.2em 0 .3em}
.meta{margin:0 0 .8em;color:#555;font-size:.8em}
.actions{display:flex;flex-wrap:wrap;align-items:center;gap:.6em;margin:0 0 1em}
button{font:inherit;font-size:1em;padding:.35em 1.3em;border-radius:.4em;border:2px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b57d0}
#copy-status{font-size:.85em;color:#137333}
.text p{margin:0 0 1em;text-indent:2em;overflow-wrap:anywhere}
.sources{margin-top:2em;font-size:.7em;color:#444}
.sources h2{font-size:1em;margin:0 0 .3em}
.error h1{color:#a50e0e}
@media print{
nav,.actions{display:none!important}
body{font-size:16pt;line-height:1.7}
main{max-width:none;padding:0}
a{color:inherit;text-decoration:none}
}`;

const SCRIPT = `(function(){
var copy=document.getElementById('copy'),print=document.getElementById('print'),status=document.getElementById('copy-status');
if(!copy)return;
function text(){return Array.prototype.map.call(document.querySelectorAll('#text p'),function(p){return p.textContent;}).join('\\n\\n');}
function show(ok){status.textContent=ok?copy.getAttribute('data-copied'):copy.getAttribute('data-failed');}
function fallback(t){var a=document.createElement('textarea');a.value=t;a.setAttribute('readonly','');a.style.position='fixed';a.style.top='0';a.style.opacity='0';document.body.appendChild(a);a.select();var ok=false;try{ok=document.execCommand('copy');}catch(e){}document.body.removeChild(a);return ok;}
copy.addEventListener('click',function(){var t=text();status.textContent='';
if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(t).then(function(){show(true);},function(){show(fallback(t));});}else{show(fallback(t));}});
print.addEventListener('click',function(){window.print();});
copy.hidden=false;print.hidden=false;
})();`;

const sha256 = (s: string): string => `'sha256-${crypto.createHash('sha256').update(s).digest('base64')}'`;

/** Sent with every page: no outside resources, no framing, only our own style and script. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src ${sha256(CSS)}`,
  `script-src ${sha256(SCRIPT)}`,
  // The empty data: icon stops browsers asking for /favicon.ico on every visit.
  "img-src data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

function shell(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script>${SCRIPT}</script>
</body>
</html>
`;
}

/** The page for one day's script; `town` (as requested) is kept on the links to other days. */
export function renderScriptPage(script: Script, strings: Strings, town?: string): string {
  const s = (key: string, vars?: Record<string, string | number>): string => escapeHtml(strings.t(`operator.${key}`, vars));
  const query = town ? `?town=${encodeURIComponent(town)}` : '';
  const href = (path: string): string => escapeHtml(`/scripts/${path}${query}`);
  const { prev, next } = neighbourDays(script.date);
  const nav = [
    prev ? `<a href="${href(prev)}" rel="prev">${s('web.prev')}</a>` : '',
    `<a href="${href(`${script.date}.txt`)}">${s('web.plain_text')}</a>`,
    next ? `<a href="${href(next)}" rel="next">${s('web.next')}</a>` : '',
  ].filter(Boolean);
  const sources = script.sources.length
    ? `<section class="sources"><h2>${s('web.sources')}</h2><ol>${script.sources.map((x) => `<li>${escapeHtml(x.title)}</li>`).join('')}</ol></section>`
    : '';
  const body = `<main class="script" data-date="${escapeHtml(script.date)}">
<nav>${nav.join('\n')}</nav>
<p class="date"><time datetime="${escapeHtml(script.date)}">${s('web.date_line', dayParts(script.date))}</time></p>
<h1>${escapeHtml(script.title)}</h1>
<p class="meta">${s('length', { chars: script.chars, minutes: readingMinutes(script.chars) })}</p>
<div class="actions"><button type="button" id="copy" hidden data-copied="${s('web.copied')}" data-failed="${s('web.copy_failed')}">${s('web.copy')}</button><button type="button" id="print" class="secondary" hidden>${s('web.print')}</button><span id="copy-status" role="status" aria-live="polite"></span></div>
<div id="text" class="text">
${paragraphsOf(script.text).map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
</div>
${sources}
</main>`;
  return shell(script.title, body);
}

/** A clear message in the same look, with the way back to today's script. */
export function renderErrorPage(message: string, strings: Strings): string {
  const s = (key: string): string => escapeHtml(strings.t(`operator.${key}`));
  const body = `<main class="error">
<h1>${s('web.error_title')}</h1>
<p id="message">${escapeHtml(message)}</p>
<p><a href="/scripts/today">${s('web.today')}</a></p>
</main>`;
  return shell(strings.t('operator.web.error_title'), body);
}
