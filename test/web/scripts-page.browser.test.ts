import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { generateScript } from '../../core/broadcast/generate-script.ts';
import { realContent } from '../support/content.ts';
import { decodePng } from '../support/png.ts';
import { scriptServer } from '../support/script-server.ts';

/**
 * The operator's page in a real headless Chromium (Debian's package), served by the real server on a
 * real port: what a phone shows, what 复制 puts on the clipboard, what paper gets.
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/pingan-script-page.png';
const PHONE = { width: 390, height: 844 };

let server: FastifyInstance;
let browser: Browser;
let context: BrowserContext;
let origin = '';
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}; this test needs it to check the printable script page.\n` +
        'Install it with:  apt-get update && apt-get install -y chromium   (or run .ci/run, which does).',
    );
  }
  ({ server } = scriptServer());
  await server.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  // A Content-Security-Policy violation or a script error shows up here.
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  const response = await page.goto(`${origin}${path}`);
  expect(response?.status()).toBe(path.includes('2026-02-30') ? 400 : 200);
  return page;
}

it('shows the date, title and text in large type on a phone, without sideways scrolling', async () => {
  const script = generateScript({ date: '2026-12-01', content: realContent() });
  const page = await open('/scripts/2026-12-01');
  expect(await page.title()).toBe(script.title);
  const h1 = page.locator('h1');
  expect(await h1.isVisible()).toBe(true);
  expect(await h1.textContent()).toBe(script.title);
  expect(await page.getByText('2026年12月1日 星期二').isVisible()).toBe(true);
  const paragraphs = page.locator('#text p');
  expect(await paragraphs.count()).toBe(script.text.split('\n\n').length);
  expect(await paragraphs.first().isVisible()).toBe(true);
  expect(await paragraphs.first().textContent()).toBe(script.text.split('\n\n')[0]);
  expect(parseFloat(await page.evaluate<string>("getComputedStyle(document.querySelector('#text p')).fontSize"))).toBeGreaterThanOrEqual(20);
  expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);

  const png = await page.screenshot({ path: SCREENSHOT });
  const { width, height, luma } = decodePng(png);
  expect([width, height]).toEqual([PHONE.width * 2, PHONE.height * 2]);
  // A blank (or all-dark) page fails: text is dark ink on white, a few percent of the pixels.
  const dark = luma.reduce((n, v) => n + (v < 128 ? 1 : 0), 0) / luma.length;
  const mean = luma.reduce((s, v) => s + v, 0) / luma.length;
  const sd = Math.sqrt(luma.reduce((s, v) => s + (v - mean) ** 2, 0) / luma.length);
  expect(dark).toBeGreaterThan(0.02);
  expect(dark).toBeLessThan(0.5);
  expect(sd).toBeGreaterThan(20);
  await page.close();
});

it('复制 copies exactly the read-aloud text and says 已复制', async () => {
  const script = generateScript({ date: '2026-12-01', town: 'longxing', content: realContent() });
  const page = await open('/scripts/2026-12-01?town=longxing');
  const copy = page.getByRole('button', { name: '复制' });
  expect(await copy.isVisible()).toBe(true);
  await copy.click();
  await page.getByText('已复制').waitFor({ state: 'visible' });
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(script.text);
  await page.close();
});

it('on paper the buttons and links are hidden and the text stays', async () => {
  const page = await open('/scripts/2026-12-01');
  await page.emulateMedia({ media: 'print' });
  expect(await page.getByRole('button', { name: '复制' }).isVisible()).toBe(false);
  expect(await page.locator('nav').isVisible()).toBe(false);
  expect(await page.locator('#text p').first().isVisible()).toBe(true);
  await page.close();
});

it('a malformed date shows the clear message, and no page had a script error or CSP violation', async () => {
  const page = await open('/scripts/2026-02-30');
  expect(await page.locator('#message').textContent()).toContain('日期格式不对');
  expect(await page.getByRole('link', { name: '今天的广播稿' }).isVisible()).toBe(true);
  await page.close();
  expect(consoleErrors).toEqual([expect.stringContaining('400')]);
});
