/**
 * `npm run -s script -- [--date YYYY-MM-DD] [--format text|md|html|json] [--town <id or name>]`
 * prints a day's broadcast script. Defaults: today in TZ_BROADCAST (Asia/Shanghai), text, district-wide.
 * Bad arguments print a clear message on stderr and exit 2.
 */
import { parseArgs } from 'node:util';
import { generateScript } from '../core/broadcast/generate-script.ts';
import { isSupportedDate, MAX_YEAR, MIN_YEAR, todayIn } from '../core/broadcast/dates.ts';
import { UserFacingError } from '../core/errors.ts';
import { configOrExit, loadContentOrExit } from './cli-support.ts';

const FORMATS = ['text', 'md', 'html', 'json'] as const;
type Format = (typeof FORMATS)[number];
const usage = 'Usage: npm run -s script -- [--date YYYY-MM-DD] [--format text|md|html|json] [--town 镇街名称或编号]';

function fail(message: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

let values: { date?: string; format?: string; town?: string };
try {
  ({ values } = parseArgs({
    args: process.argv.slice(2),
    options: { date: { type: 'string' }, format: { type: 'string' }, town: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  }));
} catch (e) {
  fail(`参数有误：${e instanceof Error ? e.message : String(e)}`);
}

const config = configOrExit();
const date = values.date ?? todayIn(config.broadcast.timezone);
if (!isSupportedDate(date)) {
  fail(`日期无效：“${date}”。请写 ${MIN_YEAR} 到 ${MAX_YEAR} 年之间真实存在的日期，格式 YYYY-MM-DD，例如 --date 2026-11-29。`);
}
const format = values.format ?? 'text';
if (!(FORMATS as readonly string[]).includes(format)) {
  fail(`格式无效：“${format}”。可选 text、md、html、json。`);
}

const content = loadContentOrExit(config.contentDir);
let script;
try {
  script = generateScript({ date, town: values.town, content });
} catch (e) {
  if (e instanceof UserFacingError) fail(e.userText);
  throw e;
}

switch (format as Format) {
  case 'text':
    process.stdout.write(`${script.text}\n`);
    break;
  case 'md':
    process.stdout.write(script.markdown);
    break;
  case 'html':
    process.stdout.write(script.html);
    break;
  case 'json': {
    const { title, text, markdown, topics, sources } = script;
    process.stdout.write(`${JSON.stringify({ date: script.date, title, text, markdown, topics, sources })}\n`);
    break;
  }
}
