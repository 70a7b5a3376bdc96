import crypto from 'node:crypto';
import type { KbEntry } from '../knowledge/kb-entry.ts';
import { createEmbeddingCache, type EmbeddingCache } from './embedding-cache.ts';
import type { Llm } from './llm.ts';

export interface SemanticHit {
  readonly entry: KbEntry;
  readonly similarity: number;
}

export interface SemanticIndex {
  /** Embeds entries not in the cache (once per entry text), then loads every vector. Safe to call again. */
  prepare(): Promise<{ embedded: number; cached: number; ready: boolean }>;
  ready(): boolean;
  /** Nearest entries to the question; [] when not ready or the model cannot embed now. */
  search(question: string, k: number, deadlineMs?: number): Promise<SemanticHit[]>;
}

export interface SemanticIndexDeps {
  readonly entries: readonly KbEntry[];
  readonly llm: Llm;
  /** Usually `DATA_DIR/embeddings`. */
  readonly cacheDir: string;
  /** Part of the cache key: vectors of different models do not mix. */
  readonly model: string;
  readonly batchSize?: number;
}

/** What is embedded for an entry: everything a resident's question could match, not the long section. */
export function entryText(e: KbEntry): string {
  return [e.title, ...e.questions, e.tags.join(' '), e.answer].join('\n');
}

export function textHash(model: string, text: string): string {
  return crypto.createHash('sha256').update(model).update('\0').update(text).digest('hex').slice(0, 32);
}

/**
 * Optional semantic retrieval. Each entry is embedded once and cached on disk keyed by a hash of the
 * model and the entry text, so a restart or unchanged content costs nothing and an edited entry is
 * embedded again. Used only to widen the candidates the model chooses from, never to answer alone.
 */
export function createSemanticIndex(deps: SemanticIndexDeps): SemanticIndex {
  const cache: EmbeddingCache = createEmbeddingCache(deps.cacheDir, deps.model);
  let vectors: { entry: KbEntry; v: Float64Array }[] | undefined;

  return {
    ready: () => vectors !== undefined,
    async prepare() {
      const keyed = deps.entries.map((entry) => ({ entry, key: textHash(deps.model, entryText(entry)) }));
      const stored = cache.load();
      const missing = keyed.filter((k) => !stored.has(k.key));
      const batch = deps.batchSize ?? 64;
      for (let i = 0; i < missing.length; i += batch) {
        const part = missing.slice(i, i + batch);
        const r = await deps.llm.embed(part.map((p) => entryText(p.entry)), { purpose: 'embed-entries', deadlineMs: 60_000 });
        // Partial progress is kept: the next prepare() embeds only what is still missing.
        if (!r.ok) {
          cache.save(stored, keyed.map((k) => k.key));
          return { embedded: i, cached: keyed.length - missing.length, ready: false };
        }
        part.forEach((p, j) => stored.set(p.key, r.value[j]!));
      }
      cache.save(stored, keyed.map((k) => k.key));
      vectors = keyed.map((k) => ({ entry: k.entry, v: normalise(stored.get(k.key)!) }));
      return { embedded: missing.length, cached: keyed.length - missing.length, ready: true };
    },
    async search(question, k, deadlineMs) {
      if (!vectors || !deps.llm.can('embeddings')) return [];
      const r = await deps.llm.embed([question], { purpose: 'embed-question', deadlineMs });
      const q = r.ok && r.value[0] ? normalise(r.value[0]) : undefined;
      if (!q) return [];
      return vectors
        .filter((x) => x.v.length === q.length)
        .map((x) => ({ entry: x.entry, similarity: dot(x.v, q) }))
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, k);
    },
  };
}

/**
 * Reciprocal rank fusion: each list adds 1 / (k + rank) for an id. Needs no score calibration between
 * keyword and vector rankings, which live on unrelated scales. Ties keep first-list order.
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = 60): string[] {
  const score = new Map<string, number>();
  for (const list of lists) list.forEach((id, rank) => score.set(id, (score.get(id) ?? 0) + 1 / (k + rank + 1)));
  return [...score.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
}

function normalise(v: readonly number[]): Float64Array {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;
  return Float64Array.from(v, (x) => x / n);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
