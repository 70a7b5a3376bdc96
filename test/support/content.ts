import path from 'node:path';
import { loadContent, type Content } from '../../core/content/load-content.ts';

export const CONTENT_DIR = path.resolve(import.meta.dirname, '../../content');

let cached: Content | undefined;
/** The real content, loaded once per test file (loading is pure, so sharing it is safe). */
export function realContent(): Content {
  cached ??= loadContent(CONTENT_DIR);
  return cached;
}
