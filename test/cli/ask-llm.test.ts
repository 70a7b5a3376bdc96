import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toContract } from '../../core/knowledge/answer.ts';
import { realContent } from '../support/content.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fake-openai.ts';
import { findUnsureQuestion } from '../support/llm.ts';
import { ROOT } from '../support/run-cli.ts';

const { answerer } = realContent().kb;
const unsure = findUnsureQuestion();
let ai: FakeOpenAi;
let dataDir: string;

/** Like runCli, but asynchronous: the fake model server lives in this process and must keep answering. */
function ask(args: string[], env: Record<string, string>, input?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      path.join(ROOT, 'node_modules/.bin/tsx'),
      [path.join(ROOT, 'bin/ask.ts'), ...args],
      { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent', BOT_TOKEN: '', REDIS_URL: '', DATA_DIR: dataDir, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(input ?? '');
  });
}

beforeEach(async () => {
  ai = await startFakeOpenAi();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-ask-'));
});
afterEach(async () => {
  await ai.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// Each case starts one or two tsx processes, which takes seconds on a busy machine.
describe('npm run ask with a model configured', { timeout: 120_000 }, () => {
  it('--json keeps the contract; an unsure question gets the entry the model picked', async () => {
    ai.onChat((req) => ({ json: { id: (req.data.candidates as { id: string }[]).find((c) => unsure.ids.includes(c.id))!.id } }));
    const r = await ask(['--json', unsure.q], ai.env());
    expect(r.code).toBe(0);
    const o = JSON.parse(r.stdout);
    expect(Object.keys(o)).toEqual(['question', 'answer', 'matched', 'emergency', 'sources', 'score']);
    expect(o.matched).toBe(true);
    expect(unsure.ids).toContain(o.sources[0].id);
    expect(o.question).toBe(unsure.q);
  });

  it('--jsonl answers in order; a failing model gives exactly the offline objects', async () => {
    ai.onChat(() => ({ status: 500 }));
    const questions = ['着火了', unsure.q, '电动车能在楼道里充电吗', ''];
    const r = await ask(['--jsonl'], ai.env({ OPENAI_TIMEOUT_MS: '500' }), `${questions.join('\n')}\n`);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual(questions.map((q) => JSON.parse(JSON.stringify(toContract(answerer.ask(q))))));
    expect(ai.chatRequests().length).toBeGreaterThanOrEqual(1);
  });

  it('with embeddings configured the knowledge base is embedded once and cached under DATA_DIR', async () => {
    ai.onChat(() => ({ json: { id: 'none' } }));
    const env = ai.env({ OPENAI_EMBEDDING_MODEL: 'fake-embed' });
    expect((await ask(['--json', '电动车能在楼道里充电吗'], env)).code).toBe(0);
    const first = ai.embeddingRequests().length;
    expect(first).toBeGreaterThan(0);
    expect(fs.readdirSync(path.join(dataDir, 'embeddings')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect((await ask(['--json', '电动车能在楼道里充电吗'], env)).code).toBe(0);
    expect(ai.embeddingRequests()).toHaveLength(first);
  });
});
