import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config.ts';
import { runCli } from '../support/run-cli.ts';
import { freePort } from '../support/redis.ts';
import { CONTENT_DIR } from '../support/content.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('npm start: roles and a Redis that is not there', () => {
  it('with REDIS_URL pointing at no server, start-up stops with a clear message naming REDIS_URL', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-start-'));
    dirs.push(dataDir);
    const port = await freePort();
    const r = runCli('start.ts', [], {
      env: { BOT_TOKEN: '123:abc', TELEGRAM_API_ROOT: 'http://127.0.0.1:9', DATA_DIR: dataDir, REDIS_URL: `redis://127.0.0.1:${port}`, LOG_LEVEL: 'fatal' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`Redis at REDIS_URL (redis://127.0.0.1:${port}) is not reachable`);
    expect(r.stderr).toContain('unset REDIS_URL');
  });

  it('ROLES defaults to everything in one process; an unknown role is a configuration error naming ROLES', () => {
    expect(parseConfig({ CONTENT_DIR }).roles).toEqual(['bot', 'web', 'worker', 'scheduler']);
    expect(parseConfig({ CONTENT_DIR, ROLES: 'worker, scheduler' }).roles).toEqual(['worker', 'scheduler']);
    expect(() => parseConfig({ CONTENT_DIR, ROLES: 'bot,mailer' })).toThrow(/ROLES: unknown role "mailer"/);
    expect(() => parseConfig({ CONTENT_DIR, BROADCAST_TIME: '12:30', BROADCAST_CUTOFF: '12:00' })).toThrow(/BROADCAST_CUTOFF must be later/);
  });
});
