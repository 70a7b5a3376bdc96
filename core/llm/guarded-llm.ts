import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import { createCircuitBreaker, type CircuitBreaker } from './circuit-breaker.ts';
import { DATA_RULE, dataMessage, parseJsonReply } from './json-output.ts';
import type { Llm, LlmCapability, LlmFailure, LlmResult } from './llm.ts';
import type { TokenBudget } from './token-budget.ts';
import { LlmCallError, type LlmTransport } from './transport.ts';

export interface GuardOptions {
  /** Per-attempt timeout: a few seconds, a resident is waiting. */
  readonly timeoutMs: number;
  /** Retries after the first attempt, for retryable failures only. */
  readonly maxRetries: number;
  /** First backoff; doubled each retry, capped at 8x. A provider's Retry-After wins when it fits the deadline. */
  readonly backoffMs: number;
  /** Default deadline for a whole call when the task sets none. */
  readonly deadlineMs: number;
  readonly breakerFailures: number;
  readonly breakerCooldownMs: number;
}

export const DEFAULT_GUARD_OPTIONS: GuardOptions = {
  timeoutMs: 4000,
  maxRetries: 2,
  backoffMs: 250,
  deadlineMs: 10_000,
  breakerFailures: 5,
  breakerCooldownMs: 60_000,
};

export interface GuardedLlmDeps {
  readonly transport: LlmTransport;
  readonly capabilities: Readonly<Record<LlmCapability, boolean>>;
  readonly budget: TokenBudget;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
  readonly options?: Partial<GuardOptions>;
  readonly now?: () => number;
  /** Injected so tests can observe backoff without waiting on a wall clock. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** Below this much time left an attempt cannot succeed, so it is not started. */
const MIN_ATTEMPT_MS = 50;

/**
 * The Llm every feature gets when a model is configured: limited retries with backoff inside a
 * deadline, a circuit breaker per capability, the daily token budget, and schema-checked output.
 * Every failure becomes a result the caller answers with its offline path.
 */
export function createGuardedLlm(deps: GuardedLlmDeps): Llm {
  const o = { ...DEFAULT_GUARD_OPTIONS, ...deps.options };
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? realSleep;
  const breakers: Record<LlmCapability, CircuitBreaker> = {
    chat: createCircuitBreaker({ failures: o.breakerFailures, cooldownMs: o.breakerCooldownMs, now }),
    embeddings: createCircuitBreaker({ failures: o.breakerFailures, cooldownMs: o.breakerCooldownMs, now }),
  };
  const log = deps.logger?.child({ component: 'llm' });

  const finish = <T>(kind: LlmCapability, purpose: string, started: number, result: LlmResult<T>): LlmResult<T> => {
    const outcome = result.ok ? 'ok' : result.reason;
    deps.metrics?.inc('llm_calls_total', { purpose, outcome });
    if (!result.ok && result.reason !== 'offline') log?.warn({ purpose, kind, reason: result.reason, ms: now() - started }, 'model call fell back to offline');
    return result;
  };

  /** One guarded call: `attempt` does the wire work, `parse` turns the raw reply into the value. */
  async function call<R, T>(
    kind: LlmCapability,
    purpose: string,
    limits: { timeoutMs: number; deadlineMs: number },
    attempt: (timeoutMs: number) => Promise<{ raw: R; tokens: number }>,
    parse: (raw: R) => { ok: true; value: T } | { ok: false; error: string },
  ): Promise<LlmResult<T>> {
    const started = now();
    const done = (r: LlmResult<T>): LlmResult<T> => finish(kind, purpose, started, r);
    if (!deps.capabilities[kind]) return done({ ok: false, reason: 'offline' });
    if (!deps.budget.maybeAvailable() || !(await deps.budget.available())) return done({ ok: false, reason: 'budget' });
    const breaker = breakers[kind];
    if (!breaker.allow()) return done({ ok: false, reason: 'circuit_open' });

    let last: LlmFailure = 'timeout';
    for (let i = 0; i <= o.maxRetries; i++) {
      const remaining = limits.deadlineMs - (now() - started);
      if (remaining < MIN_ATTEMPT_MS) break;
      try {
        const { raw, tokens } = await attempt(Math.min(limits.timeoutMs, remaining));
        await deps.budget.spend(tokens);
        const parsed = parse(raw);
        if (!parsed.ok) {
          // A provider that answers but not in the shape asked for is failing too: count it.
          breaker.failure();
          log?.warn({ purpose, error: parsed.error }, 'model reply rejected by schema');
          return done({ ok: false, reason: 'malformed' });
        }
        breaker.success();
        return done({ ok: true, value: parsed.value, tokens });
      } catch (err) {
        const e = err instanceof LlmCallError ? err : new LlmCallError('network', String(err));
        last = e.kind;
        if (!e.retryable || i === o.maxRetries) break;
        const wait = e.retryAfterMs ?? Math.min(o.backoffMs * 2 ** i, o.backoffMs * 8);
        if (now() - started + wait + MIN_ATTEMPT_MS > limits.deadlineMs) break;
        await sleep(wait);
      }
    }
    breaker.failure();
    return done({ ok: false, reason: last });
  }

  return {
    capabilities: Object.freeze({ ...deps.capabilities }),
    can: (kind) => deps.capabilities[kind] && breakers[kind].peek() && deps.budget.maybeAvailable(),
    json(task) {
      const system = `${task.instructions}\n\n${DATA_RULE}`;
      const user = dataMessage(task.data);
      return call(
        'chat',
        task.purpose,
        { timeoutMs: task.timeoutMs ?? o.timeoutMs, deadlineMs: task.deadlineMs ?? o.deadlineMs },
        async (timeoutMs) => {
          const r = await deps.transport.chat({ system, user, maxTokens: task.maxTokens, timeoutMs });
          return { raw: r.text, tokens: r.tokens };
        },
        (text) => parseJsonReply(text, task.schema),
      );
    },
    embed(texts, options = {}) {
      return call(
        'embeddings',
        options.purpose ?? 'embed',
        { timeoutMs: o.timeoutMs, deadlineMs: options.deadlineMs ?? o.deadlineMs },
        async (timeoutMs) => {
          const r = await deps.transport.embed({ texts, timeoutMs });
          return { raw: r.vectors, tokens: r.tokens };
        },
        (vectors) => (vectors.length === texts.length ? { ok: true, value: vectors } : { ok: false, error: 'wrong number of vectors' }),
      );
    },
  };
}
