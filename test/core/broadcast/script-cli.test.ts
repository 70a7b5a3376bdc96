import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
type Result = { code: number; stdout: string; stderr: string };
const runIn = async (env: NodeJS.ProcessEnv, args: string[]): Promise<Result> => {
  try {
    const { stdout, stderr } = await promisify(execFile)('npx', ['tsx', 'bin/script.ts', ...args], { cwd: ROOT, timeout: 110_000, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
};
const run = (...args: string[]): Promise<Result> => runIn(process.env, args);

// Each case starts a child process (a few seconds with tsx); they run one after another so that the
// suite's other CLI tests on the same two cores are not starved.
describe('npm run script', () => {
  it('prints JSON with exactly date, title, text, markdown, topics, sources', async () => {
    const r = await run('--date', '2027-11-09', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(out)).toEqual(['date', 'title', 'text', 'markdown', 'topics', 'sources']);
    expect(out.date).toBe('2027-11-09');
    expect(out.text).toContain('119消防宣传日');
    expect((out.sources as unknown[])[0]).toEqual({ id: expect.any(String), title: expect.any(String) });
  }, 120_000);

  it('prints read-aloud text by default, for a town, the same in any machine time zone', async () => {
    const args = ['--date', '2027-11-09', '--town', 'longxing'];
    const east = await runIn({ ...process.env, TZ: 'Pacific/Kiritimati' }, args);
    const west = await runIn({ ...process.env, TZ: 'America/Los_Angeles' }, args);
    expect(east.code).toBe(0);
    expect(east.stdout).toBe(west.stdout);
    expect(east.stdout).toContain('龙兴镇');
    expect(east.stdout).toContain('二〇二七年十一月九日，星期二');
    expect(east.stdout).not.toMatch(/[#*<]/);
  }, 120_000);

  it('prints an HTML fragment', async () => {
    const r = await run('--date', '2027-11-09', '--format', 'html');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<article class="broadcast-script"[^>]*>/);
    expect(r.stdout).not.toMatch(/<html|<body/);
  }, 120_000);

  it.each([
    [['--date', '2027-02-30'], /日期无效/],
    [['--format', 'pdf'], /格式无效/],
    [['--town', '不存在镇', '--date', '2027-11-09'], /没有找到镇街/],
    [['--colour'], /参数有误/],
  ])('rejects %j with exit 2 and a message on stderr', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe('');
  }, 120_000);
});
