import type { z } from 'zod';
import { ContentError } from '../errors.ts';

/** Validates data with a zod schema, reporting the first problem as a ContentError naming the field. */
export function validate<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, data: unknown, file: string): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
  throw new ContentError(file, `${where}${issue?.message ?? 'invalid'}`);
}
