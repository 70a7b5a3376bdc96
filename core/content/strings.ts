import path from 'node:path';
import { readYamlFile } from './yaml-file.ts';
import { ContentError } from '../errors.ts';

/** Looks up user-facing text by dotted key and fills {placeholders}. */
export interface Strings {
  t(key: string, vars?: Record<string, string | number>): string;
  has(key: string): boolean;
}

export function loadStrings(contentDir: string): Strings {
  const file = path.join(contentDir, 'strings.yaml');
  const flat = new Map<string, string>();
  const walk = (node: unknown, prefix: string): void => {
    if (typeof node === 'string') flat.set(prefix, node);
    else if (node && typeof node === 'object' && !Array.isArray(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    } else throw new ContentError(file, `${prefix || '(root)'}: expected text or a group of texts`);
  };
  walk(readYamlFile(file), '');
  return createStrings(flat);
}

export function createStrings(flat: Map<string, string>): Strings {
  return {
    has: (key) => flat.has(key),
    t(key, vars) {
      const text = flat.get(key);
      // A missing key is a bug caught by the strings test; show the key rather than crash a reply.
      if (text === undefined) return key;
      return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (Object.hasOwn(vars, name) ? String(vars[name]) : m)) : text;
    },
  };
}
