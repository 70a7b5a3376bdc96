import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { generateScript } from '../../core/broadcast/generate-script.ts';
import { escapeHtml } from '../../core/broadcast/render-script.ts';
import type { Script, ScriptSource } from '../../core/broadcast/script-source.ts';
import { realContent } from '../support/content.ts';
import { scriptServer, WEB_NOW } from '../support/script-server.ts';

let server: FastifyInstance;
afterEach(async () => server?.close());

const script = (date: string, town?: string): Script => generateScript({ date, town, content: realContent() });
const get = (url: string) => server.inject({ method: 'GET', url });

describe('GET /scripts/… formats', () => {
  it('the page shows the date, title, every paragraph and a 复制 button, in large type for a phone', async () => {
    ({ server } = scriptServer());
    const r = await get('/scripts/2026-12-01');
    const s = script('2026-12-01');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(r.body).toContain('2026年12月1日 星期二');
    expect(r.body).toContain(`<h1>${escapeHtml(s.title)}</h1>`);
    for (const p of s.text.split('\n\n')) expect(r.body).toContain(`<p>${escapeHtml(p)}</p>`);
    expect(r.body).toMatch(/<button[^>]*id="copy"[^>]*>复制<\/button>/);
    expect(r.body).toMatch(/@media print\{\s*nav,\.actions\{display:none!important\}/);
    expect(r.body).toMatch(/font-size:clamp\(20px/);
    // Links to the neighbouring days and the plain text.
    expect(r.body).toContain('href="/scripts/2026-11-30"');
    expect(r.body).toContain('href="/scripts/2026-12-02"');
    expect(r.body).toContain('href="/scripts/2026-12-01.txt"');
  });

  it('/scripts/today is today in Asia/Shanghai, whatever the server clock zone', async () => {
    // 17:30 UTC on 30 November is already 1 December in Chongqing.
    ({ server } = scriptServer({ now: Date.parse('2026-11-30T17:30:00Z') }));
    const today = await get('/scripts/today');
    expect(today.statusCode).toBe(200);
    expect(today.body).toBe((await get('/scripts/2026-12-01')).body);
    expect(today.headers['content-location']).toBe('/scripts/2026-12-01');
    expect((await get('/scripts/today.json')).json().date).toBe('2026-12-01');
  });

  it('.txt is the read-aloud text as UTF-8 plain text, no markup', async () => {
    ({ server } = scriptServer());
    const r = await get('/scripts/2026-12-01.txt');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.body).toBe(`${script('2026-12-01').text}\n`);
    expect(r.body).not.toMatch(/[#*<>`\[\]]/);
  });

  it('.json has exactly date, title, text, markdown, topics, sources', async () => {
    ({ server } = scriptServer());
    const r = await get('/scripts/2027-11-09.json');
    const s = script('2027-11-09');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    const body = r.json() as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['date', 'title', 'text', 'markdown', 'topics', 'sources']);
    expect(body).toEqual({ date: s.date, title: s.title, text: s.text, markdown: s.markdown, topics: s.topics, sources: s.sources });
  });

  it('cache lifetimes: today short, future a little longer, past days a day', async () => {
    ({ server } = scriptServer());
    const maxAge = async (url: string): Promise<number> => Number(/max-age=(\d+)/.exec(String((await get(url)).headers['cache-control']))?.[1]);
    const today = await maxAge('/scripts/today');
    expect(today).toBeLessThanOrEqual(300);
    expect(await maxAge('/scripts/2026-12-01.txt')).toBe(today);
    expect(await maxAge('/scripts/2026-12-02')).toBeLessThanOrEqual(3600);
    expect(await maxAge('/scripts/2026-11-30.json')).toBeGreaterThanOrEqual(3600);
    expect((await get('/scripts/2026-02-30')).headers['cache-control']).toBe('no-store');
  });

  it('/scripts redirects to today', async () => {
    ({ server } = scriptServer());
    const r = await get('/scripts');
    expect(r.statusCode).toBe(302);
    expect(r.headers.location).toBe('/scripts/today');
  });
});

describe('GET /scripts/… bad requests', () => {
  it('a malformed date is 400 with a clear Chinese message in the requested format', async () => {
    ({ server } = scriptServer());
    for (const bad of ['2026-02-30', '2026-1-5', '20261201', 'tomorrow', '2026-13-01']) {
      const page = await get(`/scripts/${bad}`);
      expect(page.statusCode).toBe(400);
      expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(page.body).toContain('日期格式不对');
      expect(page.body).toContain('/scripts/2026-12-01');
      const json = await get(`/scripts/${bad}.json`);
      expect(json.statusCode).toBe(400);
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(json.json().error).toContain('日期格式不对');
      const txt = await get(`/scripts/${bad}.txt`);
      expect(txt.statusCode).toBe(400);
      expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(txt.body).toContain('日期格式不对');
    }
  });

  it('a real day outside the supported years is 404 naming the range', async () => {
    ({ server } = scriptServer());
    for (const url of ['/scripts/1999-12-31', '/scripts/2051-01-01.json', '/scripts/2019-12-31.txt']) {
      const r = await get(url);
      expect(r.statusCode).toBe(404);
      expect(r.body).toContain('2020 年到 2050 年');
    }
  });

  it('an unknown format is 404 pointing to today', async () => {
    ({ server } = scriptServer());
    const r = await get('/scripts/2026-12-01.pdf');
    expect(r.statusCode).toBe(404);
    expect(r.body).toContain('/scripts/today');
  });

  it('a failing script source is a 500 with an apology, not a stack trace', async () => {
    const broken: ScriptSource = { forDate: async () => { throw new Error('disk on fire at /var/secret'); } };
    ({ server } = scriptServer({ source: broken }));
    for (const [url, type] of [['/scripts/2026-12-01', 'text/html'], ['/scripts/2026-12-01.json', 'application/json']] as const) {
      const r = await get(url);
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toContain(type);
      expect(r.body).toContain('暂时无法生成');
      expect(r.body).not.toContain('secret');
    }
  });
});

describe('GET /scripts/…?town=', () => {
  it('gives the town its own wording, by id or by name, and keeps the town on the page links', async () => {
    ({ server } = scriptServer());
    const byId = await get('/scripts/2026-12-01.json?town=longxing');
    const byName = await get(`/scripts/2026-12-01.json?town=${encodeURIComponent('龙兴镇')}`);
    expect(byId.json().title).toBe(script('2026-12-01', 'longxing').title);
    expect(byId.json().title.startsWith('龙兴镇')).toBe(true);
    expect(byName.json()).toEqual(byId.json());
    const page = await get('/scripts/2026-12-01?town=longxing');
    expect(page.body).toContain('href="/scripts/2026-11-30?town=longxing"');
  });

  it('an unknown town is 404 with the message that says how to write one', async () => {
    ({ server } = scriptServer());
    const r = await get(`/scripts/2026-12-01.json?town=${encodeURIComponent('火星镇')}`);
    expect(r.statusCode).toBe(404);
    expect(r.json().error).toContain('没有找到镇街“火星镇”');
    const long = await get(`/scripts/2026-12-01.txt?town=${'x'.repeat(5000)}`);
    expect(long.statusCode).toBe(404);
    expect(long.body.length).toBeLessThan(200);
  });
});

describe('escaping', () => {
  const hostile: Script = {
    date: '2026-12-01',
    title: '<script>alert("t")</script> & 标题',
    theme: { id: 'x', name: 'x' },
    text: `第一段 <img src=x onerror=alert(1)> "双引号" 'single'\n\n第二段 </p><script>alert(2)</script>`,
    markdown: '# <b>x</b>',
    html: '<script>alert(3)</script>',
    topics: ['居家防火'],
    sources: [{ id: 'evil', title: '<b onmouseover=alert(4)>来源</b>' }],
    chars: 40,
  };
  const source: ScriptSource = { forDate: async (date) => ({ ...hostile, date }) };

  it('content from the script source cannot inject markup or script into the page', async () => {
    ({ server } = scriptServer({ source }));
    const r = await get(`/scripts/2026-12-01?town=${encodeURIComponent('"><i>x</i>')}`);
    expect(r.statusCode).toBe(200);
    expect(r.body.match(/<script/g)).toHaveLength(1); // only the page's own copy-button script
    expect(r.body).not.toMatch(/<img|<b |<i>|onerror=alert\(1\)>/);
    expect(r.body).toContain('<title>&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; 标题</title>');
    expect(r.body).toContain('<p>第二段 &lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;</p>');
    expect(r.body).toContain('href="/scripts/2026-11-30?town=%22%3E%3Ci%3Ex%3C%2Fi%3E"');
    // Even if something slipped through, the policy allows no script but the page's own.
    expect(r.headers['content-security-policy']).toMatch(/script-src 'sha256-[A-Za-z0-9+/=]+'(;|$)/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
  });

  it('the same content comes back exactly in JSON and as plain text (never sniffed as HTML)', async () => {
    ({ server } = scriptServer({ source }));
    const json = await get('/scripts/2026-12-01.json');
    expect(json.json()).toMatchObject({ title: hostile.title, text: hostile.text, sources: hostile.sources });
    const txt = await get('/scripts/2026-12-01.txt');
    expect(txt.body).toBe(`${hostile.text}\n`);
    expect(txt.headers['x-content-type-options']).toBe('nosniff');
  });

  it('a hostile date in the URL is echoed escaped in the 400 page', async () => {
    ({ server } = scriptServer());
    const r = await get(`/scripts/${encodeURIComponent('<img src=x onerror=alert(1)>')}`);
    expect(r.statusCode).toBe(400);
    expect(r.body).not.toContain('<img');
    expect(r.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

it('counts scripts served by format in /metrics', async () => {
  let metrics;
  ({ server, metrics } = scriptServer({ now: WEB_NOW }));
  await get('/scripts/today');
  await get('/scripts/2026-12-01.json');
  expect(metrics.render()).toMatch(/pingan_scripts_served_total\{via="web",format="html"\} 1/);
  expect((await get('/metrics')).body).toMatch(/pingan_scripts_served_total\{via="web",format="json"\} 1/);
});
