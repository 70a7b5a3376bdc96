import type { z } from 'zod';

/** What a language model can be asked to do. */
export type LlmCapability = 'chat' | 'embeddings';

/**
 * Why a call gave no usable result. Every one of them sends the caller down its offline path; the
 * reason is only for metrics and logs.
 */
export type LlmFailure =
  | 'offline' // not configured
  | 'circuit_open' // too many recent failures; calls are skipped for a while
  | 'budget' // the daily token budget is spent
  | 'timeout'
  | 'rate_limited'
  | 'server_error'
  | 'network'
  | 'http_error'
  | 'malformed'; // the reply was not JSON, or not the shape asked for

export type LlmResult<T> =
  | { readonly ok: true; readonly value: T; readonly tokens: number }
  | { readonly ok: false; readonly reason: LlmFailure };

/** One structured request: our instructions, the data (which holds every piece of user text), and the reply's schema. */
export interface JsonTask<T> {
  /** What the call is for ('choose-entry', 'rewrite-script', 'tip-triage'): metrics and logs only. */
  readonly purpose: string;
  /** Written by us; never contains user text, which goes in `data`. */
  readonly instructions: string;
  /** Sent as one JSON document the model is told to treat as data, never as instructions. */
  readonly data: unknown;
  /** The reply must parse as JSON and pass this schema, or the call fails with 'malformed'. */
  readonly schema: z.ZodType<T>;
  readonly maxTokens: number;
  /** Per-attempt timeout; defaults to the configured one (a few seconds). */
  readonly timeoutMs?: number;
  /** The whole call, retries and backoff included, gives up after this long. */
  readonly deadlineMs?: number;
}

/**
 * The one interface features use. Features ask `capabilities` (configured at all) and `can` (usable
 * right now: configured, circuit closed, budget left) and never read the environment. Calls never
 * throw: a failure is a result, so every caller is forced to have an offline path.
 */
export interface Llm {
  /** What was configured; fixed for the life of the process. */
  readonly capabilities: Readonly<Record<LlmCapability, boolean>>;
  /** True when a call of this kind would be attempted now. */
  can(capability: LlmCapability): boolean;
  json<T>(task: JsonTask<T>): Promise<LlmResult<T>>;
  /** One vector per text, in order. */
  embed(texts: readonly string[], options?: { readonly purpose?: string; readonly deadlineMs?: number }): Promise<LlmResult<number[][]>>;
}

/** The implementation used when no model is configured: nothing is possible, nothing leaves the service. */
export function createOfflineLlm(): Llm {
  return {
    capabilities: Object.freeze({ chat: false, embeddings: false }),
    can: () => false,
    json: async () => ({ ok: false, reason: 'offline' }),
    embed: async () => ({ ok: false, reason: 'offline' }),
  };
}
