import crypto from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Update } from 'telegraf/types';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../core/metrics.ts';
import { registerScriptRoutes, type ScriptRoutesDeps } from './scripts-routes.ts';

export interface ServerDeps {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Webhook mode: the path Telegram posts to, the secret it must send, and the handler. */
  readonly webhook?: { readonly path: string; readonly secret: string; handle(update: Update): Promise<void> };
  /** The operators' script pages under /scripts/; absent: not served. */
  readonly scripts?: Omit<ScriptRoutesDeps, 'metrics'>;
}

/** HTTP: health, metrics and the Telegram webhook. Later features register more routes on it. */
export function createServer(deps: ServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger.child({ component: 'http' }) as unknown as FastifyBaseLogger,
    bodyLimit: 1_048_576,
  });
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4').send(deps.metrics.render()));
  if (deps.scripts) registerScriptRoutes(app, { ...deps.scripts, metrics: deps.metrics });

  const hook = deps.webhook;
  if (hook) {
    const expected = Buffer.from(hook.secret);
    app.post(hook.path, async (req, reply) => {
      const got = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
      // Constant-time comparison: the secret is the only thing standing between the internet and the bot.
      if (got.length !== expected.length || !crypto.timingSafeEqual(got, expected)) {
        deps.metrics.inc('webhook_rejected_total');
        return reply.code(403).send({ ok: false });
      }
      const update = req.body as Update | undefined;
      if (!update || typeof update !== 'object' || typeof (update as { update_id?: unknown }).update_id !== 'number') {
        return reply.code(400).send({ ok: false, description: 'not a Telegram update' });
      }
      deps.metrics.inc('updates_total', { transport: 'webhook' });
      await hook.handle(update);
      return reply.send({ ok: true });
    });
  }
  return app;
}
