import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

/** Runs one of the bin/ commands as a real child process, the way npm scripts run it. */
export function runCli(script: string, args: string[], opts: { input?: string; env?: Record<string, string> } = {}) {
  const r = spawnSync(TSX, [path.join(ROOT, 'bin', script), ...args], {
    cwd: ROOT,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, LOG_LEVEL: 'silent', BOT_TOKEN: '', REDIS_URL: '', ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
