import path from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../content/yaml-file.ts';
import { validate } from '../content/schema-error.ts';
import { ContentError } from '../errors.ts';
import type { Normalizer } from './lexicon.ts';

const ruleSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  numbers: z.array(z.string().regex(/^\d{3,5}$/)).min(1),
  patterns: z.array(z.string().min(1)).min(1),
  actions: z.array(z.string().min(1)).min(1),
});
const fileSchema = z.object({ hypothetical: z.array(z.string().min(1)), rules: z.array(ruleSchema).min(1) });

export interface EmergencyRule {
  readonly id: string;
  readonly label: string;
  readonly numbers: readonly string[];
  readonly actions: readonly string[];
  readonly patterns: readonly RegExp[];
}

export interface Triage {
  /** Rules matched by a message describing an emergency happening now; empty when there is none. */
  readonly rules: readonly EmergencyRule[];
  /** Numbers to call, most important first, without repeats. */
  readonly numbers: readonly string[];
  /** True when the message reads as a question about a possible future emergency ("万一…"). */
  readonly hypothetical: boolean;
}

export interface Triager {
  triage(text: string): Triage;
}

export function loadTriager(contentDir: string, normalizer: Normalizer): Triager {
  const file = path.join(contentDir, 'lexicon', 'emergency.yaml');
  const data = validate(fileSchema, readYamlFile(file), file);
  const rules: EmergencyRule[] = data.rules.map((r) => ({
    ...r,
    patterns: r.patterns.map((p) => {
      try {
        return new RegExp(p, 'u');
      } catch (e) {
        throw new ContentError(file, `rule ${r.id}: bad pattern ${p}: ${(e as Error).message}`);
      }
    }),
  }));
  return createTriager(rules, data.hypothetical, normalizer);
}

/** Triage only reads the start of a message: an emergency is said in the first few lines. */
const TRIAGE_WINDOW = 500;

export function createTriager(rules: EmergencyRule[], hypothetical: string[], normalizer: Normalizer): Triager {
  return {
    triage(text) {
      // People in a hurry type spaces where punctuation would go; patterns look across them.
      const head = text.slice(0, TRIAGE_WINDOW).replace(/\s+/g, '');
      const canonical = normalizer.canonical(head);
      const raw = head.normalize('NFKC');
      const matched = rules.filter((r) => r.patterns.some((p) => p.test(canonical) || p.test(raw)));
      const isHypothetical = hypothetical.some((h) => raw.includes(h));
      const numbers = [...new Set(matched.flatMap((r) => r.numbers))];
      return isHypothetical
        ? { rules: [], numbers, hypothetical: matched.length > 0 }
        : { rules: matched, numbers, hypothetical: false };
    },
  };
}
