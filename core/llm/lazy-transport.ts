import type { LlmTransport } from './transport.ts';

/**
 * A transport built on first use. The provider SDK costs about 20 MB of resident memory, which a service
 * that never calls the model (no OPENAI_* set, or only the offline paths used so far) should not pay.
 * A failed load is retried on the next call rather than remembered.
 */
export function lazyTransport(load: () => Promise<LlmTransport>): LlmTransport {
  let loading: Promise<LlmTransport> | undefined;
  const get = (): Promise<LlmTransport> =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
  return {
    chat: async (request) => (await get()).chat(request),
    embed: async (request) => (await get()).embed(request),
  };
}
