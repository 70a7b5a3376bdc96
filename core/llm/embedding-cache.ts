import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface EmbeddingCache {
  /** Vectors by text hash; an unreadable or foreign file counts as empty (it is rebuilt, never trusted). */
  load(): Map<string, number[]>;
  /** Writes the vectors for `keep` only, so vectors of deleted or edited entries do not pile up. */
  save(vectors: Map<string, number[]>, keep: readonly string[]): void;
  readonly file: string;
}

/**
 * One JSON file per embedding model under the cache folder. Written to a temporary file and renamed,
 * so a crash or a second process mid-write never leaves a torn file behind.
 */
export function createEmbeddingCache(dir: string, model: string): EmbeddingCache {
  const file = path.join(dir, `${crypto.createHash('sha256').update(model).digest('hex').slice(0, 16)}.json`);
  return {
    file,
    load() {
      try {
        const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { model?: unknown; vectors?: Record<string, unknown> };
        if (data.model !== model || !data.vectors || typeof data.vectors !== 'object') return new Map();
        const out = new Map<string, number[]>();
        for (const [k, v] of Object.entries(data.vectors)) {
          if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isFinite(x))) out.set(k, v as number[]);
        }
        return out;
      } catch {
        return new Map();
      }
    },
    save(vectors, keep) {
      const kept: Record<string, number[]> = {};
      for (const k of keep) {
        const v = vectors.get(k);
        if (v) kept[k] = v.map((x) => Math.round(x * 1e6) / 1e6);
      }
      fs.mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
      fs.writeFileSync(tmp, JSON.stringify({ model, vectors: kept }));
      fs.renameSync(tmp, file);
    },
  };
}
