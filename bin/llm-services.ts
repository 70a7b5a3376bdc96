import path from 'node:path';
import type { Config } from '../core/config.ts';
import type { Content } from '../core/content/load-content.ts';
import type { Logger } from '../core/logger.ts';
import type { Metrics } from '../core/metrics.ts';
import { createAssistedAnswerer, type AssistedAnswerer } from '../core/llm/assisted-answerer.ts';
import { createGuardedLlm } from '../core/llm/guarded-llm.ts';
import { createOfflineLlm, type Llm } from '../core/llm/llm.ts';
import { lazyTransport } from '../core/llm/lazy-transport.ts';
import { createSemanticIndex, type SemanticIndex } from '../core/llm/semantic-index.ts';
import { createTokenBudget, type LlmUsageStore } from '../core/llm/token-budget.ts';

export interface LlmServices {
  /** Always present: the offline implementation when no model is configured. */
  readonly llm: Llm;
  /** Present only with a chat model; the bot and `ask` fall back to the plain answerer without it. */
  readonly assistedAnswerer?: AssistedAnswerer;
  readonly semantic?: SemanticIndex;
  /** Embeds the knowledge base (cached on disk) when an embedding model is configured; never throws. */
  prepare(): Promise<void>;
}

export interface LlmServiceDeps {
  readonly usage: LlmUsageStore;
  readonly logger: Logger;
  readonly metrics?: Metrics;
  /** Tells staff (the staff group) once when the daily budget runs out. */
  readonly notifyStaff: (text: string) => Promise<void> | void;
}

/**
 * Builds the model client and everything on top of it. The only place the OpenAI client is created;
 * with no OPENAI_* configuration the offline Llm is returned and nothing ever leaves the service.
 */
export function buildLlmServices(config: Config, content: Content, deps: LlmServiceDeps): LlmServices {
  const o = config.openai;
  if (!o) return { llm: createOfflineLlm(), prepare: async () => undefined };
  const log = deps.logger.child({ component: 'llm' });
  const budget = createTokenBudget({
    store: deps.usage,
    dailyTokens: o.dailyTokens,
    timezone: config.broadcast.timezone,
    now: Date.now,
    async onExhausted(day, used) {
      log.warn({ day, used, limit: o.dailyTokens }, 'daily token budget spent; offline until tomorrow');
      try {
        await deps.notifyStaff(content.strings.t('llm.budget_exhausted', { day, used, limit: o.dailyTokens }));
      } catch (err) {
        log.error({ err }, 'could not tell staff that the token budget is spent');
      }
    },
  });
  const llm = createGuardedLlm({
    // The SDK is loaded on the first call, not at start-up (see lazyTransport).
    transport: lazyTransport(async () => {
      const [{ default: OpenAI }, { createOpenAiTransport }] = await Promise.all([import('openai'), import('../core/llm/openai-transport.ts')]);
      // Retries are the guard's (counted against each call's deadline), so the client makes none.
      const client = new OpenAI({ apiKey: o.apiKey, baseURL: o.baseUrl, timeout: o.timeoutMs, maxRetries: 0 });
      return createOpenAiTransport(client, { model: o.model, embeddingModel: o.embeddingModel });
    }),
    capabilities: { chat: true, embeddings: !!o.embeddingModel },
    budget,
    logger: deps.logger,
    metrics: deps.metrics,
    options: { timeoutMs: o.timeoutMs },
  });
  const semantic = o.embeddingModel
    ? createSemanticIndex({ entries: content.kb.entries, llm, cacheDir: path.join(config.dataDir, 'embeddings'), model: o.embeddingModel })
    : undefined;
  const assistedAnswerer = createAssistedAnswerer({ kb: content.kb, strings: content.strings, llm, semantic, logger: deps.logger, metrics: deps.metrics });
  return {
    llm,
    assistedAnswerer,
    semantic,
    async prepare() {
      if (!semantic) return;
      const r = await semantic.prepare().catch((err: Error) => {
        log.error({ err }, 'embedding the knowledge base failed; keyword retrieval only');
        return undefined;
      });
      if (r) log.info(r, 'semantic index');
    },
  };
}
