import path from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../content/yaml-file.ts';
import { validate } from '../content/schema-error.ts';
import { ContentError } from '../errors.ts';

const synonymSchema = z.object({
  synonyms: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)),
  stopwords: z.array(z.string().min(1)),
});

/** Turns free text into the canonical vocabulary shared by questions and entries. */
export interface Normalizer {
  /** NFKC, lower case, no control characters, dialect and variant words replaced, fillers removed. */
  normalize(text: string): string;
  /** Same as normalize but keeps filler words (emergency patterns want "着火了" intact). */
  canonical(text: string): string;
}

export function loadNormalizer(contentDir: string): Normalizer {
  const file = path.join(contentDir, 'lexicon', 'synonyms.yaml');
  const data = validate(synonymSchema, readYamlFile(file), file);
  const replacements = new Map<string, string>();
  for (const [canonical, variants] of Object.entries(data.synonyms)) {
    for (const v of variants) {
      const key = clean(v);
      const prior = replacements.get(key);
      if (prior && prior !== canonical) throw new ContentError(file, `"${v}" maps to both ${prior} and ${canonical}`);
      replacements.set(key, canonical);
    }
  }
  return createNormalizer(replacements, data.stopwords.map(clean));
}

export function createNormalizer(replacements: Map<string, string>, stopwords: string[]): Normalizer {
  // Each canonical word also maps to itself, so it is consumed whole before a variant inside it
  // matches: otherwise 山体滑坡 became 山体山体滑坡 (its 滑坡 is a variant) and text canonicalised twice
  // stopped matching text canonicalised once.
  const all = new Map(replacements);
  for (const c of replacements.values()) if (!all.has(c)) all.set(c, c);
  replacements = all;
  const synonymRe = alternation([...replacements.keys()]);
  const stopRe = alternation(stopwords);
  const canonical = (text: string): string => {
    const t = clean(text);
    return synonymRe ? t.replace(synonymRe, (m) => replacements.get(m) ?? m) : t;
  };
  return {
    canonical,
    // Stop phrases become a space so no bigram is formed across the gap they leave.
    normalize: (text) => {
      const c = canonical(text);
      return stopRe ? c.replace(stopRe, ' ') : c;
    },
  };
}

/**
 * Removes invisible format characters (zero-width space, joiners, soft hyphen, word joiner, BOM, bidi
 * marks: Unicode category Cf). They split words without showing: "着\u200b火\u200b了" must read as 着火了.
 */
export function stripInvisible(text: string): string {
  return text.replace(/\p{Cf}/gu, '');
}

/** Unicode-normalises width and case, removes invisible characters and turns control characters into spaces. */
export function clean(text: string): string {
  return stripInvisible(text.normalize('NFKC')).toLowerCase().replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
}

function alternation(words: string[]): RegExp | undefined {
  const sorted = [...new Set(words)].filter(Boolean).sort((a, b) => b.length - a.length);
  if (!sorted.length) return undefined;
  return new RegExp(sorted.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
}
