import { APIConnectionError, APIConnectionTimeoutError, APIError, type OpenAI } from 'openai';
import { estimateTokens, LlmCallError, type LlmTransport } from './transport.ts';

export interface OpenAiTransportOptions {
  readonly model: string;
  readonly embeddingModel?: string;
}

/**
 * The OpenAI-compatible wire (OpenAI, DeepSeek, Qwen, vLLM, …). The client is built by the entry point
 * with `maxRetries: 0`: retries belong to the guard, which also counts them against the deadline.
 * JSON mode (`response_format: json_object`) is asked for; the guard validates the reply anyway.
 */
export function createOpenAiTransport(client: OpenAI, options: OpenAiTransportOptions): LlmTransport {
  return {
    async chat({ system, user, maxTokens, timeoutMs }) {
      try {
        const r = await client.chat.completions.create(
          {
            model: options.model,
            messages: [
              { role: 'system', content: system },
              { role: 'user', content: user },
            ],
            temperature: 0,
            max_tokens: maxTokens,
            response_format: { type: 'json_object' },
          },
          { timeout: timeoutMs, maxRetries: 0 },
        );
        const text = r.choices?.[0]?.message?.content ?? '';
        return { text, tokens: r.usage?.total_tokens ?? estimateTokens(system + user + text) };
      } catch (err) {
        throw classify(err);
      }
    },
    async embed({ texts, timeoutMs }) {
      if (!options.embeddingModel) throw new LlmCallError('http_error', 'no embedding model configured');
      try {
        const r = await client.embeddings.create({ model: options.embeddingModel, input: [...texts] }, { timeout: timeoutMs, maxRetries: 0 });
        const data = [...(r.data ?? [])].sort((a, b) => a.index - b.index);
        const vectors = data.map((d) => d.embedding);
        if (vectors.length !== texts.length || vectors.some((v) => !Array.isArray(v) || v.length === 0 || v.some((x) => !Number.isFinite(x)))) {
          throw new LlmCallError('malformed', `expected ${texts.length} embeddings, got ${vectors.length}`);
        }
        return { vectors, tokens: r.usage?.total_tokens ?? estimateTokens(texts.join('')) };
      } catch (err) {
        throw classify(err);
      }
    },
  };
}

function classify(err: unknown): LlmCallError {
  if (err instanceof LlmCallError) return err;
  if (err instanceof APIConnectionTimeoutError) return new LlmCallError('timeout', 'the model did not answer in time');
  if (err instanceof APIConnectionError) return new LlmCallError('network', err.message);
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    if (status === 429) return new LlmCallError('rate_limited', err.message, retryAfterMs(err.headers));
    if (status >= 500) return new LlmCallError('server_error', err.message, retryAfterMs(err.headers));
    return new LlmCallError('http_error', err.message);
  }
  // A 200 whose body is not JSON surfaces as a SyntaxError from the client.
  if (err instanceof SyntaxError) return new LlmCallError('malformed', err.message);
  return new LlmCallError('network', err instanceof Error ? err.message : String(err));
}

function retryAfterMs(headers: Record<string, string | null | undefined> | undefined): number | undefined {
  const ms = Number(headers?.['retry-after-ms']);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const s = Number(headers?.['retry-after']);
  return Number.isFinite(s) && s >= 0 ? s * 1000 : undefined;
}
