import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAssistedAnswerer } from '../../../core/llm/assisted-answerer.ts';
import { createSemanticIndex, entryText, reciprocalRankFusion } from '../../../core/llm/semantic-index.ts';
import { realContent } from '../../support/content.ts';
import { startFakeOpenAi, type FakeOpenAi } from '../../support/fake-openai.ts';
import { llmFor } from '../../support/llm.ts';

const content = realContent();
const entries = content.kb.entries.slice(0, 20);
let ai: FakeOpenAi;
let dir: string;
beforeEach(async () => {
  ai = await startFakeOpenAi();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-embed-'));
});
afterEach(async () => {
  await ai.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const embeddedTexts = (): string[] => ai.embeddingRequests().flatMap((r) => r.body.input as string[]);

describe('semantic retrieval (optional embeddings)', () => {
  it('embeds each entry once; a restart with unchanged content sends nothing; an edited entry is embedded again', async () => {
    const { llm } = llmFor(ai, { embeddings: true });
    const first = createSemanticIndex({ entries, llm, cacheDir: dir, model: 'fake-embed', batchSize: 8 });
    expect(await first.prepare()).toEqual({ embedded: 20, cached: 0, ready: true });
    expect(ai.embeddingRequests()).toHaveLength(3); // 8 + 8 + 4
    expect(embeddedTexts()).toHaveLength(20);

    const restarted = createSemanticIndex({ entries, llm, cacheDir: dir, model: 'fake-embed' });
    expect(await restarted.prepare()).toEqual({ embedded: 0, cached: 20, ready: true });
    expect(ai.embeddingRequests()).toHaveLength(3);

    const edited = entries.map((e, i) => (i === 4 ? { ...e, answer: `${e.answer}\n补充一句。` } : e));
    const after = createSemanticIndex({ entries: edited, llm, cacheDir: dir, model: 'fake-embed' });
    expect(await after.prepare()).toEqual({ embedded: 1, cached: 19, ready: true });
    expect(embeddedTexts().at(-1)).toContain('补充一句。');
  });

  it('another embedding model does not reuse the cache', async () => {
    const { llm } = llmFor(ai, { embeddings: true });
    await createSemanticIndex({ entries, llm, cacheDir: dir, model: 'fake-embed' }).prepare();
    const other = await createSemanticIndex({ entries, llm, cacheDir: dir, model: 'other-embed' }).prepare();
    expect(other.embedded).toBe(20);
  });

  it('a provider without embeddings leaves keyword retrieval alone: not ready, nothing cached, search empty', async () => {
    ai.onEmbeddings({ status: 404 });
    const { llm } = llmFor(ai, { embeddings: true });
    const index = createSemanticIndex({ entries, llm, cacheDir: dir, model: 'fake-embed' });
    expect((await index.prepare()).ready).toBe(false);
    expect(await index.search('电动车', 3)).toEqual([]);
  });

  it('finds the entry whose text the question is (the fake embeds identical texts identically)', async () => {
    const { llm } = llmFor(ai, { embeddings: true });
    const index = createSemanticIndex({ entries, llm, cacheDir: dir, model: 'fake-embed' });
    await index.prepare();
    // The shortest entry: a question is cut to its first few hundred characters before it is embedded.
    const target = [...entries].sort((a, b) => entryText(a).length - entryText(b).length)[0]!;
    const [hit] = await index.search(entryText(target), 3);
    expect(hit?.entry.id).toBe(target.id);
  });

  it('fuses keyword and vector rankings by reciprocal rank', () => {
    expect(reciprocalRankFusion([['a', 'b', 'c'], ['b', 'c', 'd']])).toEqual(['b', 'c', 'a', 'd']);
    expect(reciprocalRankFusion([['a', 'b'], []])).toEqual(['a', 'b']);
  });

  it('fused candidates reach the model: the question is embedded only when the model is asked', async () => {
    const { llm } = llmFor(ai, { embeddings: true, guard: { maxRetries: 0 } });
    const semantic = createSemanticIndex({ entries: content.kb.entries, llm, cacheDir: dir, model: 'fake-embed' });
    await semantic.prepare();
    const before = ai.embeddingRequests().length;
    ai.onChat(() => ({ json: { id: 'none' } }));
    const assisted = createAssistedAnswerer({ kb: content.kb, strings: content.strings, llm, semantic });
    await assisted.ask('电动车能在楼道里充电吗'); // confident: no model, no embedding
    expect(ai.embeddingRequests()).toHaveLength(before);
    const r = await assisted.explain('拆旧屋要注意啥子');
    if (r.outcome === 'not_needed') throw new Error('fixture question became confident; pick another unsure one');
    expect(ai.embeddingRequests()).toHaveLength(before + 1);
    expect(ai.chatRequests()[0]!.data.candidates.length).toBe(5);
  });
});
