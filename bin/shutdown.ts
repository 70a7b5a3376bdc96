import type { Logger } from '../core/logger.ts';

/**
 * One guarded shutdown on SIGINT/SIGTERM: stops each part in the order given (intake first, storage
 * last), each step bounded in time, then exits. systemd, `docker stop` and npm all signal the whole
 * process group, so node often gets the same signal twice: a signal during shutdown is logged and
 * ignored; only the hard deadline (every step's bound, plus a margin) ends the process abruptly.
 */
export function onShutdown(logger: Logger, steps: [string, () => Promise<unknown> | unknown][], stepTimeoutMs = 5000): void {
  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) {
      logger.info({ signal }, 'already shutting down; signal ignored');
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, stepTimeoutMs * steps.length + 2000).unref();
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
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
