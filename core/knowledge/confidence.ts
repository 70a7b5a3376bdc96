/**
 * Confidence that the top entry answers the question, as a probability from a small logistic model
 * over the match's features. Overlap measures alone (Dice, coverage) fall with question length: a long,
 * chatty question about one topic scores like a short off-topic one. The model corrects for length and
 * for the share of words the knowledge base has never seen.
 */
export interface ConfidenceInputs {
  /** The lexical confidence: best-phrasing Dice plus body support (search-index.ts). */
  readonly lexical: number;
  /** Share of the question's weight made of tokens the knowledge base has never seen. */
  readonly unknown: number;
  /** Han characters in the question (numbers, Latin and emoji do not count). */
  readonly chars: number;
  /**
   * This entry's rank minus the best off-topic subject's (out-of-scope.yaml), capped at OFF_TOPIC_GAP_CAP
   * (also when none matched). "电瓶车头盔哪个颜色好看" matches the helmet entry well, but a price
   * question about as well: a small gap says the question may be about something else.
   */
  readonly offTopicGap: number;
  /** 1 when the question asks for a service, not guidance (a price, a wage, a rental): out-of-scope.yaml. */
  readonly service: number;
  /** Weighted share of the question's concepts the entry is about (concepts.ts); 0.5 when it names none. */
  readonly concept: number;
}

export interface ConfidenceModel {
  readonly bias: number;
  readonly lexical: number;
  readonly unknown: number;
  /** Per 20 characters, counted up to LENGTH_CAP: past that, more words say nothing more. */
  readonly length: number;
  readonly offTopicGap: number;
  readonly service: number;
  readonly concept: number;
}

const LENGTH_CAP = 60;
export const OFF_TOPIC_GAP_CAP = 1.5;

/**
 * Fitted by `npm run bench -- calibrate` on the tuning sets (bench/support.ts: TUNING_SETS; in-scope
 * questions whose top entry is right are positives; wrong top entries and out-of-scope questions are
 * negatives), then checked on the newest holdout, written separately. Refit when the knowledge base or the
 * off-topic subjects change a lot.
 */
export const DEFAULT_CONFIDENCE_MODEL: ConfidenceModel = { bias: -3.3841, lexical: 1.084, unknown: 0, length: 0.9325, offTopicGap: 3.0296, service: -2.6266, concept: 1.6613 };

const vector = (x: ConfidenceInputs): number[] => [x.lexical, x.unknown, Math.min(x.chars, LENGTH_CAP) / 20, Math.min(x.offTopicGap, OFF_TOPIC_GAP_CAP), x.service, x.concept];

export function confidenceOf(model: ConfidenceModel, x: ConfidenceInputs): number {
  const [l, u, n, g, s, c] = vector(x);
  const z = model.bias + model.lexical * l! + model.unknown * u! + model.length * n! + model.offTopicGap * g! + model.service * s! + model.concept * c!;
  return 1 / (1 + Math.exp(-z));
}

/**
 * Required sign of each feature's weight: more matching never lowers confidence, more unknown words
 * never raise it, a wider gap to an off-topic subject never lowers it, a service request never raises
 * it, more agreement on concepts never lowers it; length is free.
 */
const SIGNS = [1, -1, 0, 1, -1, 1] as const;

/** L2-regularised logistic regression by gradient descent on standardised features. */
export function fitConfidenceModel(samples: readonly { x: ConfidenceInputs; y: 0 | 1 }[], l2 = 0.01, steps = 5000, rate = 0.5): ConfidenceModel {
  const X = samples.map((s) => vector(s.x));
  const d = SIGNS.length;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((a, r) => a + r[j]!, 0) / X.length);
  const sd = Array.from({ length: d }, (_, j) => Math.sqrt(X.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / X.length) || 1);
  const Z = X.map((r) => r.map((v, j) => (v - mean[j]!) / sd[j]!));
  const w = new Array<number>(d + 1).fill(0);
  for (let step = 0; step < steps; step++) {
    const g = new Array<number>(d + 1).fill(0);
    Z.forEach((z, i) => {
      const p = 1 / (1 + Math.exp(-(w[0]! + z.reduce((a, v, j) => a + v * w[j + 1]!, 0))));
      const e = p - samples[i]!.y;
      g[0] = g[0]! + e;
      z.forEach((v, j) => (g[j + 1] = g[j + 1]! + e * v));
    });
    for (let j = 0; j <= d; j++) w[j] = w[j]! - rate * (g[j]! / Z.length + l2 * w[j]!);
    // Projected onto the signs the features must have (SIGNS): the features are correlated, and an
    // unconstrained fit once gave unknown words a positive weight, so "猫为什么喜欢纸箱子" read as sure.
    SIGNS.forEach((sign, j) => {
      if (sign * w[j + 1]! < 0) w[j + 1] = 0;
    });
  }
  // Back to raw feature units, so the model is six readable numbers.
  const raw = w.slice(1).map((v, j) => v / sd[j]!);
  const bias = w[0]! - raw.reduce((a, v, j) => a + v * mean[j]!, 0);
  const r4 = (n: number): number => Math.round(n * 10_000) / 10_000;
  return { bias: r4(bias), lexical: r4(raw[0]!), unknown: r4(raw[1]!), length: r4(raw[2]!), offTopicGap: r4(raw[3]!), service: r4(raw[4]!), concept: r4(raw[5]!) };
}
