import path from 'node:path';
import fs from 'node:fs';
import { z } from 'zod';
import { ContentError } from '../errors.ts';
import { listFiles, splitFrontMatter } from '../content/yaml-file.ts';
import { validate } from '../content/schema-error.ts';

export const TOPICS = [
  '紧急求助', '居家防火', '电动自行车', '燃气安全', '用电安全', '一氧化碳', '暴雨洪涝', '预警信号', '地质灾害',
  '地震', '防溺水', '森林防火', '烟花爆竹', '交通安全', '高温中暑', '急救', '家庭应急', '安全生产', '危险化学品',
  '特种设备', '建筑施工', '物流仓储', '人员密集场所', '举报与志愿',
] as const;

const nonEmpty = z.string().trim().min(1, 'must not be empty');
// YAML reads a bare 119 as a number; a tag or phrasing that is a number is still text to us.
const textItem = z.union([z.string(), z.number()]).transform(String).pipe(nonEmpty);

const frontMatterSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'id must be kebab-case ASCII'),
  title: nonEmpty,
  questions: z.array(textItem).min(3, 'needs at least 3 alternate phrasings'),
  tags: z.array(textItem).min(1, 'needs at least one tag'),
  topic: z.enum(TOPICS, { errorMap: () => ({ message: `topic must be one of ${TOPICS.join(' ')}` }) }),
  source: nonEmpty,
  updated: z.union([z.string(), z.date()]).transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v)),
  broadcast: z.string().trim().min(1).optional(),
  /** Concepts (concepts.yaml) the entry is about beyond those its phrasings name. */
  concepts: z.array(z.string().min(1)).optional(),
});

/** A curated answer. `answer` is the short Markdown shown first; `more` the optional longer section. */
export interface KbEntry {
  readonly id: string;
  readonly title: string;
  readonly questions: readonly string[];
  readonly tags: readonly string[];
  readonly topic: (typeof TOPICS)[number];
  readonly source: string;
  readonly updated: string;
  readonly broadcast?: string;
  readonly concepts?: readonly string[];
  readonly answer: string;
  readonly more?: string;
  readonly file: string;
}

export const MAX_SHORT_ANSWER = 400;
const MORE_HEADING = /^## 更多\s*$/m;

export function parseKbEntry(text: string, file: string): KbEntry {
  const { data, body, bodyLine } = splitFrontMatter(text, file);
  const fm = validate(frontMatterSchema, data, file);
  const [short = '', ...rest] = body.split(MORE_HEADING);
  const answer = short.trim();
  if (!answer) throw new ContentError(file, 'the answer (body) is empty', bodyLine);
  const expected = `${fm.id}.md`;
  if (path.basename(file) !== expected) throw new ContentError(file, `file name must be ${expected}`);
  const more = rest.join('\n').trim() || undefined;
  return { ...fm, answer, more, file };
}

/** Loads every entry under dir; duplicate ids stop the load, naming both files. */
export function loadKbEntries(dir: string): KbEntry[] {
  const seen = new Map<string, string>();
  return listFiles(dir, ['.md']).map((file) => {
    const entry = parseKbEntry(fs.readFileSync(file, 'utf8'), file);
    const prior = seen.get(entry.id);
    if (prior) throw new ContentError(file, `duplicate id "${entry.id}" (also in ${prior})`);
    seen.set(entry.id, file);
    return entry;
  });
}
