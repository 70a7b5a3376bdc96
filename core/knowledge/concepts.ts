import path from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../content/yaml-file.ts';
import { validate } from '../content/schema-error.ts';
import { ContentError } from '../errors.ts';
import type { Normalizer } from './lexicon.ts';

/**
 * What a question is about: the hazards, things, places and situations it names. Lexical overlap alone
 * lets one shared word ("咳嗽", "楼梯") carry a confident answer from another subject; concepts let the
 * answerer require that the entry is about the subject the question names (concepts.yaml).
 */
export const CONCEPT_KINDS = ['hazard', 'thing', 'place', 'situation'] as const;
export type ConceptKind = (typeof CONCEPT_KINDS)[number];

/**
 * How much each kind says about the subject. A hazard (山火, 地震) decides whose advice applies; a thing
 * (充电宝, 电梯) nearly as much; a place or situation (高楼, 夜里) only colours it.
 */
const KIND_WEIGHT: Record<ConceptKind, number> = { hazard: 3, thing: 2, place: 1, situation: 1 };

export interface Concept {
  readonly id: string;
  /** How the subject is named to a resident ("关于「冰雹」…"). */
  readonly name: string;
  readonly kind: ConceptKind;
  /** Concepts an entry may be about instead and still answer this one (暴雨 → 洪涝). */
  readonly broader: readonly string[];
}

export interface ConceptLexicon {
  readonly concepts: ReadonlyMap<string, Concept>;
  /** Concept ids named in the text, each once, in order of first mention; longest wording wins. */
  find(text: string): string[];
  /** True when the whole text, punctuation aside, is one of the lexicon's words ("溺水", "山火"). */
  isWord(text: string): boolean;
  readonly file: string;
}

const conceptSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'concept id must be kebab-case ASCII'),
  name: z.string().min(1),
  kind: z.enum(CONCEPT_KINDS),
  words: z.array(z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1))).min(1),
  broader: z.array(z.string()).default([]),
});
const fileSchema = z.object({ concepts: z.array(conceptSchema).min(1) });

export function loadConceptLexicon(contentDir: string, normalizer: Normalizer): ConceptLexicon {
  const file = path.join(contentDir, 'lexicon', 'concepts.yaml');
  const { concepts } = validate(fileSchema, readYamlFile(file), file);
  return createConceptLexicon(concepts, normalizer, file);
}

export function createConceptLexicon(
  defs: readonly { id: string; name: string; kind: ConceptKind; words: readonly string[]; broader?: readonly string[] }[],
  normalizer: Normalizer,
  file = 'concepts',
): ConceptLexicon {
  const concepts = new Map<string, Concept>();
  const byWord = new Map<string, string>();
  // Every clash at once: a lexicon edit usually moves several words.
  const clashes: string[] = [];
  for (const d of defs) {
    if (concepts.has(d.id)) throw new ContentError(file, `concept "${d.id}" is defined twice`);
    concepts.set(d.id, { id: d.id, name: d.name, kind: d.kind, broader: d.broader ?? [] });
    for (const w of d.words) {
      // Words are matched in the same canonical form as questions, so a dialect word in synonyms.yaml
      // (电马儿 → 电动自行车) reaches the concept without being listed twice.
      const key = normalizer.canonical(w).replace(/\s+/g, '');
      if (!key) throw new ContentError(file, `concept "${d.id}": word "${w}" is empty after normalisation`);
      const prior = byWord.get(key);
      if (prior && prior !== d.id) clashes.push(`word "${w}" belongs to both ${prior} and ${d.id}`);
      else byWord.set(key, d.id);
    }
  }
  if (clashes.length) throw new ContentError(file, clashes.join('; '));
  for (const c of concepts.values()) {
    for (const b of c.broader) if (!concepts.has(b)) throw new ContentError(file, `concept "${c.id}": broader "${b}" is not a concept`);
  }
  const listed = new Set(defs.flatMap((d) => d.words.map((w) => String(w).normalize('NFKC').replace(/\s+/g, ''))));
  const words = [...byWord.keys()].sort((a, b) => b.length - a.length);
  const re = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');
  return {
    concepts,
    file,
    find(text) {
      const canonical = normalizer.canonical(text).replace(/\s+/g, '');
      const found: string[] = [];
      for (const m of canonical.matchAll(re)) {
        const id = byWord.get(m[0])!;
        if (!found.includes(id)) found.push(id);
      }
      return found;
    },
    isWord(text) {
      // The words as listed, not their canonical forms: synonyms map phrases ("地在摇") onto words.
      return listed.has(text.normalize('NFKC').replace(/[\p{P}\p{S}\s]/gu, ''));
    },
  };
}

/** How a question's concepts and an entry's agree. */
export interface Agreement {
  /** False when the entry is about another subject than the question names: it must not answer. */
  readonly passes: boolean;
  /** Weighted share of the question's concepts the entry is about, in [0, 1]; 0.5 when it names none. */
  readonly share: number;
}

const covers = (lex: ConceptLexicon, entry: ReadonlySet<string>, id: string): boolean =>
  entry.has(id) || (lex.concepts.get(id)?.broader ?? []).some((b) => entry.has(b));

/**
 * The gate: when the question names a hazard the entry must be about one of them, and when it names a
 * thing the entry must be about one of those too. Places and situations only weigh in the share.
 */
export function agreement(lex: ConceptLexicon, question: readonly string[], entry: ReadonlySet<string>): Agreement {
  if (!question.length) return { passes: true, share: 0.5 };
  let total = 0;
  let shared = 0;
  const need = { hazard: false, thing: false };
  const met = { hazard: false, thing: false };
  for (const id of question) {
    const kind = lex.concepts.get(id)?.kind ?? 'situation';
    const w = KIND_WEIGHT[kind];
    const ok = covers(lex, entry, id);
    total += w;
    if (ok) shared += w;
    if (kind === 'hazard' || kind === 'thing') {
      need[kind] = true;
      if (ok) met[kind] = true;
    }
  }
  const passes = (!need.hazard || met.hazard) && (!need.thing || met.thing) && shared > 0;
  return { passes, share: shared / total };
}

/** Hazards and things are what a text is about; places and situations only say where and when. */
const isMain = (c: Concept | undefined): boolean => c?.kind === 'hazard' || c?.kind === 'thing';

/** Whether the question names a hazard or thing the entry is about (or a narrower one), or the entry is about none. */
export function namesSubjectOf(lex: ConceptLexicon, question: readonly string[], entry: ReadonlySet<string>): boolean {
  const main = new Set([...entry].filter((id) => isMain(lex.concepts.get(id))));
  return !main.size || question.some((id) => covers(lex, main, id));
}

/** The hazards and things among the question's concepts, else its other concepts: what a gap reply names. */
export function subjects(lex: ConceptLexicon, question: readonly string[]): Concept[] {
  const all = question.map((id) => lex.concepts.get(id)!);
  const main = all.filter(isMain);
  return main.length ? main : all.filter((c) => c.kind === 'situation');
}

/** The question's subjects no entry is about at all. */
export function uncovered(lex: ConceptLexicon, question: readonly string[], covered: ReadonlySet<string>): Concept[] {
  return subjects(lex, question.filter((id) => !covers(lex, covered, id)));
}
