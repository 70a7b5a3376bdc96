import path from 'node:path';
import { z } from 'zod';
import { readJsonFile, readYamlFile } from '../content/yaml-file.ts';
import { validate } from '../content/schema-error.ts';
import { ContentError } from '../errors.ts';
import { stripInvisible, type Normalizer } from './lexicon.ts';
import { distressScore, type DistressModel } from './distress-model.ts';
import { hasHan } from './tokenize.ts';

const ruleSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  numbers: z.array(z.string().regex(/^\d{3,5}$/)).min(1),
  patterns: z.array(z.string().min(1)).min(1),
  actions: z.array(z.string().min(1)).min(1),
  /** The hazard's concepts (concepts.yaml): a retrieved entry about one of them may follow the steps. */
  concepts: z.array(z.string().min(1)).default([]),
  /** The one entry that expands on these first steps, shown under them when retrieval finds none on the hazard. */
  entry: z.string().min(1).optional(),
});
const signSchema = z.object({
  id: z.string().min(1),
  numbers: z.array(z.string().regex(/^\d{3,5}$/)).min(1),
  strong: z.boolean().default(false),
  patterns: z.array(z.string().min(1)).min(1),
});
const distressSchema = z
  .object({
    urgency: z.array(z.string().min(1)).min(1),
    general: z.array(z.string().min(1)),
    question: z.array(z.string().min(1)),
    calm: z.array(z.string().min(1)).default([]),
    now: z.array(z.string().min(1)).default([]),
    signs: z.array(signSchema).min(1),
    unclear: z.object({ numbers: z.array(z.string().regex(/^\d{3,5}$/)).min(1), actions: z.array(z.string().min(1)).min(1) }),
    actions: z.record(z.string(), z.string().min(1)),
  })
  .refine((d) => d.signs.every((s) => d.actions[s.id]), { message: 'every distress sign needs an entry under actions' });
const modelSchema = z.object({ threshold: z.number(), weights: z.record(z.string(), z.number()) });
const fileSchema = z.object({ hypothetical: z.array(z.string().min(1)), past: z.array(z.string().min(1)), rules: z.array(ruleSchema).min(1), distress: distressSchema });

export interface EmergencyRule {
  readonly id: string;
  readonly label: string;
  readonly numbers: readonly string[];
  readonly actions: readonly string[];
  readonly patterns: readonly RegExp[];
  readonly concepts: readonly string[];
  readonly entry?: string;
}

export interface Triage {
  /** Rules matched by a message describing an emergency happening now; empty when there is none. */
  readonly rules: readonly EmergencyRule[];
  /** Numbers to call, most important first, without repeats. */
  readonly numbers: readonly string[];
  /** True when the message reads as a question about a possible future emergency ("万一…"). */
  readonly hypothetical: boolean;
}

/**
 * The net under the rules: signs of a person in danger, found in messages no rule names. A strong sign
 * alone, or any sign with an urgency marker (and not a general question), makes an emergency.
 */
export interface DistressSigns {
  readonly urgency: readonly RegExp[];
  readonly general: readonly RegExp[];
  readonly question: readonly RegExp[];
  /** A question asked calmly about a hazard ("…会不会垮", "…安全不"): no alarm, unless `now` or a strong sign. */
  readonly calm: readonly RegExp[];
  /** Something that has just happened ("着火了", "倒了"): a calm-looking question about it is still an alarm. */
  readonly now: readonly RegExp[];
  readonly signs: readonly { readonly id: string; readonly numbers: readonly string[]; readonly strong: boolean; readonly patterns: readonly RegExp[]; readonly action: string }[];
  /** Reads a message as sent from an emergency when no rule or sign names the danger. */
  readonly model?: DistressModel;
  /** The reply for what the model catches: every number, with what each is for. */
  readonly unclear: { readonly numbers: readonly string[]; readonly actions: readonly string[] };
}

export interface Triager {
  triage(text: string): Triage;
  /** The rules, for lint: each names its concepts and entry. */
  readonly rules: readonly EmergencyRule[];
  /**
   * The steps under a neutral header (no rule names the danger: a distress sign or the model): every
   * number with what it is for, and nothing hazard-specific that could be the wrong hazard's advice.
   */
  readonly unclearActions: readonly string[];
}

export function loadTriager(contentDir: string, normalizer: Normalizer, isWord?: IsWord): Triager {
  const file = path.join(contentDir, 'lexicon', 'emergency.yaml');
  const data = validate(fileSchema, readYamlFile(file), file);
  const compile = (where: string, patterns: readonly string[]): RegExp[] =>
    patterns.map((p) => {
      try {
        return new RegExp(p, 'u');
      } catch (e) {
        throw new ContentError(file, `${where}: bad pattern ${p}: ${(e as Error).message}`);
      }
    });
  const rules: EmergencyRule[] = data.rules.map((r) => ({ ...r, patterns: compile(`rule ${r.id}`, r.patterns) }));
  const d = data.distress;
  const distress: DistressSigns = {
    urgency: compile('distress.urgency', d.urgency),
    general: compile('distress.general', d.general),
    question: compile('distress.question', d.question),
    calm: compile('distress.calm', d.calm),
    now: compile('distress.now', d.now),
    signs: d.signs.map((s) => ({ ...s, patterns: compile(`distress sign ${s.id}`, s.patterns), action: d.actions[s.id]! })),
    unclear: d.unclear,
    model: loadDistressModel(path.join(contentDir, 'lexicon', 'distress-model.json')),
  };
  return createTriager(rules, { hypothetical: data.hypothetical, past: data.past }, normalizer, distress, isWord);
}

/** The id of the rule the distress model raises, so callers can tell it from the rules and signs. */
export const DISTRESS_MODEL_RULE = 'distress-model';

function loadDistressModel(file: string): DistressModel {
  const m = validate(modelSchema, readJsonFile(file), file);
  return { threshold: m.threshold, weights: new Map(Object.entries(m.weights)) };
}

/** Tells whether a text is one known word (a hazard or thing named alone: "溺水", "山火"). */
export type IsWord = (text: string) => boolean;

/** A name typed alone is at most this long ("双塘村", "溺水"); "失火", "地在摇", "血止不住" are events. */
const SINGLE_WORD_MAX = 4;
const EVENT_MARK = /[了啦咯喽不没!！?？]|救|快|来人|help|sos/iu;
/** Place names end like this (村, 镇, 湾, 塘…): a village name is never an event. */
const PLACE_END = /(村|镇|乡|街道|社区|组|湾|塘|坝|沟|桥|路|街|山|岭|寨|院|场|坪|垭|口)$/u;

export function isSingleWord(raw: string, isWord: IsWord = () => false): boolean {
  const bare = raw.replace(/[\p{P}\p{S}\s]/gu, '');
  if ([...bare].length > SINGLE_WORD_MAX || !hasHan(bare) || EVENT_MARK.test(raw)) return false;
  return PLACE_END.test(bare) || isWord(bare);
}

/** Triage only reads the start of a message: an emergency is said in the first few lines. */
const TRIAGE_WINDOW = 500;

/** Words that say a message is not about now: a what-if (万一, 如果) or something past or heard of (去年, 听说). */
export interface NotNow {
  readonly hypothetical: readonly string[];
  readonly past: readonly string[];
}

export function createTriager(rules: EmergencyRule[], notNow: NotNow, normalizer: Normalizer, distress?: DistressSigns, isWord?: IsWord): Triager {
  // One alternation per rule or sign list: a single regex pass over each text instead of one per pattern
  // (triage runs on every message; measured as a sixth of the CPU of answering a question).
  const joined = new Map<readonly RegExp[], RegExp>();
  const any = (patterns: readonly RegExp[], texts: readonly string[]): boolean => {
    let re = joined.get(patterns);
    if (!re) joined.set(patterns, (re = new RegExp(patterns.map((p) => `(?:${p.source})`).join('|') || '(?!)', 'u')));
    return texts.some((t) => re.test(t));
  };
  /**
   * A rule made of the distress signs found, so the reply reads like any other emergency's; with no
   * sign, the model's reading (only asked when no rule matched: it names no danger, so it adds nothing
   * to a rule's numbers).
   */
  const distressRule = (texts: readonly string[], askModel: boolean, strongOnly = false): EmergencyRule | undefined => {
    if (!distress) return undefined;
    const found = distress.signs.filter((s) => (s.strong || !strongOnly) && any(s.patterns, texts));
    if (!found.length && strongOnly) return undefined;
    // Weak evidence (a sign that is not strong, or the model) counts only in an urgent message or a
    // statement, never in a general question ("燃气一方好多钱", "感冒吃布洛芬还是…").
    const weakCounts = (): boolean => !any(distress.general, texts) && (any(distress.urgency, texts) || !any(distress.question, texts));
    if (!found.length) {
      const { model, unclear } = distress;
      const reads = askModel && model && hasHan(texts[0]!) && distressScore(model, texts[0]!) > model.threshold && weakCounts();
      return reads ? { id: DISTRESS_MODEL_RULE, label: 'unclear', numbers: unclear.numbers, actions: unclear.actions, patterns: [], concepts: [] } : undefined;
    }
    const urgent = found.some((s) => s.strong) || weakCounts();
    if (!urgent) return undefined;
    // Strong signs (a life at stake) lead; numbers in the order their signs are listed in the content.
    const ordered = [...found.filter((s) => s.strong), ...found.filter((s) => !s.strong)];
    return { id: 'distress', label: ordered.map((s) => s.id).join('+'), numbers: [...new Set(ordered.flatMap((s) => s.numbers))], actions: distress.unclear.actions, patterns: [], concepts: [] };
  };
  /**
   * A question asked calmly ("屋后挖个坎修房子会不会垮", "漂白水加洁厕剂会中毒不") names a hazard's words
   * without anything happening: no urgency marker and no strong sign (a life at stake). It is answered
   * from the knowledge base, with the numbers; "着火了怎么办" keeps its alarm (怎么办 is urgency).
   */
  const asksInCalm = (texts: readonly string[]): boolean =>
    !!distress &&
    any(distress.calm, texts) &&
    !any(distress.now, texts) &&
    !any(distress.urgency, texts) &&
    !distress.signs.some((s) => s.strong && any(s.patterns, texts));
  return {
    rules,
    unclearActions: distress?.unclear.actions ?? [],
    triage(text) {
      // People in a hurry type spaces where punctuation would go; patterns look across them.
      const head = stripInvisible(text.slice(0, TRIAGE_WINDOW)).replace(/\s+/g, '');
      const canonical = normalizer.canonical(head);
      const raw = head.normalize('NFKC');
      const texts = canonical === raw ? [raw] : [canonical, raw];
      const isHypothetical = notNow.hypothetical.some((h) => raw.includes(h));
      // Something past or heard of is not an emergency, unless a strong sign says someone is in danger
      // now ("她去年走的 药都吞下去了"): then only the strong signs speak.
      const isPast = !isHypothetical && notNow.past.some((h) => raw.includes(h));
      const ruled = rules.filter((r) => any(r.patterns, texts));
      // A word typed alone (a village name like 双塘村, "溺水", "中毒") names a subject, not an event: it is
      // answered as a question, with the numbers, never with an emergency's steps. Said as an event
      // ("着火了", "救命", "地震！") it is one.
      // Answered as a question, with the numbers of any rule it named kept as a reminder.
      const asQuestion = (): Triage => ({ rules: [], numbers: [...new Set(ruled.flatMap((r) => r.numbers))], hypothetical: ruled.length > 0 });
      if (isHypothetical || isSingleWord(raw, isWord) || (ruled.length > 0 && asksInCalm(texts))) return asQuestion();
      const signs = distressRule(texts, ruled.length === 0 && !isPast, isPast);
      if (isPast && !signs) return asQuestion();
      // Rules name the situation and its actions; signs can still add who else to call (someone
      // collapsed in a chemical leak needs 120 as well as 119). Without a rule the signs stand alone.
      const matched = ruled.length && !isPast ? ruled : signs ? [signs] : [];
      // Signs alone give a neutral header: their own numbers first, then every other number.
      const alone = signs && matched[0] === signs && distress ? [distress.unclear] : [];
      const numbers = [...new Set([...matched, ...(signs ? [signs] : []), ...alone].flatMap((r) => r.numbers))];
      return { rules: matched, numbers, hypothetical: false };
    },
  };
}
