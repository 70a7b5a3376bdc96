import type { Logger } from '../core/logger.ts';

/**
 * One guarded shutdown on SIGINT/SIGTERM: stops each part in the order given (intake first, storage
 * last), each step bounded in time, then exits. A second signal exits at once.
 */
export function onShutdown(logger: Logger, steps: [string, () => Promise<unknown> | unknown][], stepTimeoutMs = 5000): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    for (const [name, fn] of steps) {
      try {
        await Promise.race([Promise.resolve(fn()), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), stepTimeoutMs).unref())]);
      } catch (err) {
        logger.warn({ err, step: name }, 'shutdown step failed');
      }
    }
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}
