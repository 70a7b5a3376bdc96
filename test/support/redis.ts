import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Redis } from 'ioredis';

/** The shared test Redis (.ci/run starts one). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A connected client to the test Redis, or an error that says how to get one. */
export async function requireRedis(url = TEST_REDIS_URL): Promise<Redis> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return r;
  } catch (err) {
    r.disconnect();
    throw new Error(`These tests need Redis at ${url} (${(err as Error).message}). Start one with: redis-server --daemonize yes --save '' (.ci/run does this).`);
  }
}

/** A random key prefix per test, so tests sharing the Redis never see each other's keys. */
export const randomPrefix = (): string => `test-${randomBytes(6).toString('hex')}:`;

/** Deletes every key under a prefix. */
export async function cleanPrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

/** A free TCP port on 127.0.0.1 (nothing listens there once this resolves). */
export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * A throwaway redis-server on its own port (for a server that is down at first, or configured
 * differently from the shared one). Needs the redis-server binary, which .ci/run installs.
 */
export async function startPrivateRedis(options: { port?: number; args?: string[] } = {}): Promise<PrivateRedis> {
  if (spawnSync('redis-server', ['--version']).status !== 0) throw new Error('redis-server is not installed (apt-get install redis-server; .ci/run does this)');
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.args ?? [])], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 1 });
    r.on('error', () => undefined);
    const ok = await r.connect().then(() => r.ping()).then(() => true, () => false);
    r.disconnect();
    if (ok) break;
    if (i > 100 || child.exitCode !== null) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((res) => setTimeout(res, 50)); // polling a starting server: there is no event to await
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
