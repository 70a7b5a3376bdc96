import type { Normalizer } from './lexicon.ts';
import { tokenize } from './tokenize.ts';

export interface Cluster<T> {
  readonly representative: string;
  readonly items: readonly T[];
}

/**
 * Groups similar texts (Dice similarity of their characters and bigrams at or above `minSimilarity`), largest
 * group first. Greedy and order-stable: good enough to show editors which questions recur.
 */
export function clusterTexts<T>(
  items: readonly T[],
  textOf: (item: T) => string,
  normalizer: Normalizer,
  minSimilarity = 0.5,
): Cluster<T>[] {
  const groups: { rep: string; bigrams: Set<string>; items: T[] }[] = [];
  for (const item of items) {
    const text = textOf(item);
    const bigrams = new Set(tokenize(normalizer.normalize(text)).map((t) => t.text));
    let best: (typeof groups)[number] | undefined;
    let bestSim = minSimilarity;
    for (const g of groups) {
      const sim = dice(bigrams, g.bigrams);
      if (sim >= bestSim) {
        best = g;
        bestSim = sim;
      }
    }
    if (best) best.items.push(item);
    else groups.push({ rep: text, bigrams, items: [item] });
  }
  return groups
    .map((g) => ({ representative: g.rep, items: g.items }))
    .sort((a, b) => b.items.length - a.items.length);
}

function dice(a: Set<string>, b: Set<string>): number {
  if (!a.size && !b.size) return 1;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return (2 * inter) / (a.size + b.size);
}
