/** The wire to a model provider, kept apart so guards (retries, breaker, budget) are provider-neutral. */
export interface LlmTransport {
  chat(request: ChatRequest): Promise<ChatReply>;
  embed(request: EmbedRequest): Promise<EmbedReply>;
}

export interface ChatRequest {
  readonly system: string;
  readonly user: string;
  readonly maxTokens: number;
  readonly timeoutMs: number;
}
export interface ChatReply {
  readonly text: string;
  readonly tokens: number;
}
export interface EmbedRequest {
  readonly texts: readonly string[];
  readonly timeoutMs: number;
}
export interface EmbedReply {
  readonly vectors: number[][];
  readonly tokens: number;
}

export type CallErrorKind = 'timeout' | 'rate_limited' | 'server_error' | 'network' | 'http_error' | 'malformed';

/** A failed call, classified so the guard knows whether a retry can help. */
export class LlmCallError extends Error {
  constructor(
    readonly kind: CallErrorKind,
    message: string,
    /** The provider's Retry-After, when it sent one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'LlmCallError';
  }

  /** Rate limits, server errors, timeouts and dropped connections are worth another try; the rest are not. */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'rate_limited' || this.kind === 'server_error' || this.kind === 'network';
  }
}

/** A rough token count when a provider omits usage: Chinese runs about one token per character. */
export function estimateTokens(text: string): number {
  return Math.ceil([...text].length * 1.1);
}
