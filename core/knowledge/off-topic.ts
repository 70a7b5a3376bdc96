import path from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../content/yaml-file.ts';
import { validate } from '../content/schema-error.ts';

/**
 * A subject the bot does not cover (bills, prices, weather forecasts, paperwork, chat), written down
 * with the questions residents ask about it. Indexed alongside the knowledge base, so "燃气费怎么交"
 * finds this topic instead of the nearest gas-safety entry, and gets a pointer to where to ask.
 */
export interface OffTopic {
  readonly id: string;
  /** Where to ask instead; shown instead of a safety answer. */
  readonly reply: string;
  readonly questions: readonly string[];
}

/** Subjects the bot does not cover, and the wording of a request for a service rather than guidance. */
export interface OutOfScope {
  readonly topics: readonly OffTopic[];
  /**
   * Matches a question asking for a service (a price, a wage, a rental, a ticket): a feature of the
   * confidence (confidence.ts), not a rule, so "出租车后排要系安全带不" can still be answered.
   */
  readonly serviceIntent: RegExp;
}

const isRegex = (p: string): boolean => {
  try {
    new RegExp(p, 'u');
    return true;
  } catch {
    return false;
  }
};

const schema = z.object({
  serviceIntent: z.array(z.string().min(1).refine(isRegex, { message: 'not a valid regular expression' })).min(1),
  topics: z
    .array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), reply: z.string().min(1), questions: z.array(z.string().min(1)).min(3) }))
    .min(1)
    .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, { message: 'topic ids must be unique' }),
});

export function loadOutOfScope(contentDir: string): OutOfScope {
  const file = path.join(contentDir, 'lexicon', 'out-of-scope.yaml');
  const { topics, serviceIntent } = validate(schema, readYamlFile(file), file);
  return { topics, serviceIntent: new RegExp(serviceIntent.map((p) => `(?:${p})`).join('|'), 'iu') };
}

/** Nothing out of scope: for indexes built without the content folder (benchmarks at 10x). */
export const NO_OUT_OF_SCOPE: OutOfScope = { topics: [], serviceIntent: /(?!)/ };
