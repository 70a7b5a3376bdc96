import fs from 'node:fs';
import YAML from 'yaml';
import { ContentError } from '../errors.ts';

/** Parses YAML text, turning syntax errors into a ContentError with the file and line. */
export function parseYaml(text: string, file: string, lineOffset = 0): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const line = (err.linePos?.[0]?.line ?? 0) + lineOffset;
    throw new ContentError(file, err.message.split('\n')[0] ?? 'YAML error', line || undefined);
  }
  return doc.toJS();
}

function readContentText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new ContentError(file, 'file is missing or unreadable');
  }
}

export function readYamlFile(file: string): unknown {
  return parseYaml(readContentText(file), file);
}

/** Generated data files (trained weights) are JSON: far faster to read than the same text as YAML. */
export function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readContentText(file));
  } catch (e) {
    if (e instanceof ContentError) throw e;
    throw new ContentError(file, `not valid JSON: ${(e as Error).message}`);
  }
}

/** Splits `---\n<yaml>\n---\n<body>`; the body keeps its own line numbers relative to the file. */
export function splitFrontMatter(text: string, file: string): { data: unknown; body: string; bodyLine: number } {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---\n?([\s\S]*)$/.exec(normalized);
  if (!m) throw new ContentError(file, 'missing front matter (the file must start with a --- block)', 1);
  const yamlText = m[1] ?? '';
  return { data: parseYaml(yamlText, file, 1), body: m[2] ?? '', bodyLine: yamlText.split('\n').length + 3 };
}

/** Lists files under dir (recursively) ending in one of the extensions, sorted for determinism. */
export function listFiles(dir: string, extensions: string[]): string[] {
  if (!fs.existsSync(dir)) throw new ContentError(dir, 'folder is missing');
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = `${d}/${ent.name}`;
      if (ent.isDirectory()) walk(p);
      else if (extensions.some((e) => ent.name.endsWith(e))) out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}
