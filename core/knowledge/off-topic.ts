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

const schema = z.object({
  topics: z
    .array(z.object({ id: z.string().regex(/^[a-z0-9-]+$/), reply: z.string().min(1), questions: z.array(z.string().min(1)).min(3) }))
    .min(1)
    .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, { message: 'topic ids must be unique' }),
});

export function loadOffTopics(contentDir: string): OffTopic[] {
  const file = path.join(contentDir, 'lexicon', 'out-of-scope.yaml');
  return validate(schema, readYamlFile(file), file).topics;
}
