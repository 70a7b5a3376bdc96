import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli, ROOT } from '../support/run-cli.ts';
import { startFakeBotApi } from '../support/fake-bot-api.ts';

describe('npm run ask', () => {
  it('prints a readable answer with its source', () => {
    const r = runCli('ask.ts', ['油锅起火了能泼水吗']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('来源：');
    expect(r.stdout).not.toContain('**');
  });

  it('--json prints exactly the contract object', () => {
    const r = runCli('ask.ts', ['--json', '电动车能在楼道里充电吗']);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(['question', 'answer', 'matched', 'emergency', 'sources', 'score']);
    expect(o.matched).toBe(true);
    expect(o.sources[0].id).toMatch(/^ebike-/);
  });

  it('--jsonl answers one line per question, in order, bad lines included', () => {
    const questions = ['着火了', '', '推荐个火锅店', '灭火器怎么用', '😀', 'x'.repeat(20_000)];
    const r = runCli('ask.ts', ['--jsonl'], { input: `${questions.join('\n')}\n` });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.question)).toEqual(questions);
    expect(lines[0].emergency).toBe(true);
    expect(lines[2].matched).toBe(false);
    expect(lines[3].matched).toBe(true);
  });

  it('rejects unknown options with usage', () => {
    const r = runCli('ask.ts', ['--jsn', '问题']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage');
  });
});

describe('npm run kb', () => {
  it('lint passes on the real content', () => {
    const r = runCli('kb.ts', ['lint']);
    expect(r.stderr).toMatch(/\d+ entries checked: 0 errors/);
    expect(r.code).toBe(0);
  });

  it('export prints every entry with the documented fields', () => {
    const r = runCli('kb.ts', ['export']);
    const entries = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(entries.length).toBeGreaterThanOrEqual(150);
    for (const k of ['id', 'title', 'questions', 'answer', 'tags', 'source']) expect(entries[0]).toHaveProperty(k);
    expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  });

  function brokenCopy(mutate: (dir: string) => void): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-content-'));
    fs.cpSync(path.join(ROOT, 'content'), dir, { recursive: true });
    mutate(dir);
    return dir;
  }

  it.each([
    ['bad YAML', (d: string) => fs.writeFileSync(path.join(d, 'kb/fire/fire-oil-pan.md'), '---\nid: fire-oil-pan\ntitle: [unclosed\n---\nbody\n'), /fire-oil-pan\.md:\d+/],
    ['missing source', (d: string) => {
      const f = path.join(d, 'kb/fire/fire-oil-pan.md');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/^source:.*$/m, ''));
    }, /fire-oil-pan\.md: source/],
    ['duplicate id', (d: string) => fs.copyFileSync(path.join(d, 'kb/fire/fire-oil-pan.md'), path.join(d, 'kb/gas/fire-oil-pan.md')), /duplicate id "fire-oil-pan"/],
    ['a phrasing that retrieves another entry', (d: string) => {
      const f = path.join(d, 'kb/fire/fire-oil-pan.md');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/^questions:\n/m, 'questions:\n  - AED（自动体外除颤器）怎么用？\n'));
    }, /phrasing "AED（自动体外除颤器）怎么用？" retrieves aid-aed/],
    ['a service-wording pattern that is not a regular expression', (d: string) => {
      const f = path.join(d, 'lexicon/out-of-scope.yaml');
      fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/^serviceIntent:\n/m, "serviceIntent:\n  - '(价格'\n"));
    }, /out-of-scope\.yaml: serviceIntent\.0: not a valid regular expression/],
  ])('lint fails on %s, naming the file and reason', (_name, mutate, expected) => {
    const dir = brokenCopy(mutate);
    try {
      const r = runCli('kb.ts', ['lint'], { env: { CONTENT_DIR: dir } });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(expected);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm start', () => {
  it('without BOT_TOKEN exits non-zero and names npm run chat', () => {
    const r = runCli('start.ts', []);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('npm run chat');
  });

  it('a bad variable stops start-up naming it', () => {
    const r = runCli('start.ts', [], { env: { PORT: 'abc' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('PORT');
  });
});

describe('npm run chat', () => {
  it('runs the real bot in the terminal: questions, numbered buttons, emergencies', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-chat-'));
    try {
      const r = runCli('chat.ts', [], { input: '灭火器怎么用\n1\n着火了\n', env: { DATA_DIR: dataDir } });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('平安渝北');
      expect(r.stdout).toMatch(/\[1\] .+/);
      expect(r.stdout.match(/来源：/g)?.length).toBeGreaterThanOrEqual(2); // the answer and the pressed topic
      expect(r.stdout).toMatch(/紧急情况，请立即拨打 119/);
      expect(fs.existsSync(path.join(dataDir, 'pingan.sqlite'))).toBe(true);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('npm start runs the built bundle', () => {
  it('dist/start.js answers a question over the Bot API, shuts down cleanly, and without BOT_TOKEN names npm run chat', async () => {
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(build.status, build.stderr).toBe(0);
    const bundle = path.join(ROOT, 'dist/start.js');
    const noToken = spawnSync(process.execPath, [bundle], { cwd: ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, BOT_TOKEN: '', LOG_LEVEL: 'silent' } });
    expect(noToken.status).toBe(1);
    expect(noToken.stderr).toContain('npm run chat');

    const api = await startFakeBotApi();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-bundle-'));
    const child = spawn(process.execPath, [bundle], {
      cwd: ROOT,
      stdio: 'ignore',
      env: {
        ...process.env, BOT_TOKEN: api.token, TELEGRAM_API_ROOT: api.apiRoot, DATA_DIR: dataDir, PORT: '0',
        REDIS_URL: '', WEBHOOK_URL: '', WEBHOOK_SECRET: '', DATABASE_URL: '', LOG_LEVEL: 'silent',
      },
    });
    try {
      api.sendText(777, '灭火器怎么用');
      const reply = await api.waitFor((m) => m.chat_id === 777, 30_000);
      expect(reply.text).toContain('来源');
      const exit = new Promise<number | null>((r) => child.once('exit', r));
      child.kill('SIGTERM');
      expect(await exit).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await api.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
