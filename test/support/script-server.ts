import type { FastifyInstance } from 'fastify';
import { createScriptSource, type ScriptSource } from '../../core/broadcast/script-source.ts';
import { createLogger } from '../../core/logger.ts';
import { createMetrics, type Metrics } from '../../core/metrics.ts';
import { createServer } from '../../web/server.ts';
import { realContent } from './content.ts';

/** 2026-12-01 10:00 in Asia/Shanghai (02:00 UTC): the "today" of the web tests. */
export const WEB_NOW = Date.parse('2026-12-01T02:00:00Z');

/**
 * The real HTTP server with the operator script routes, over the real content and script source.
 * `source` replaces the script source (e.g. one returning hostile text); `now` sets the clock.
 */
export function scriptServer(options: { source?: ScriptSource; now?: number } = {}): { server: FastifyInstance; metrics: Metrics } {
  const content = realContent();
  const metrics = createMetrics();
  const server = createServer({
    logger: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    metrics,
    scripts: {
      source: options.source ?? createScriptSource({ content }),
      strings: content.strings,
      timezone: 'Asia/Shanghai',
      now: () => options.now ?? WEB_NOW,
    },
  });
  return { server, metrics };
}
