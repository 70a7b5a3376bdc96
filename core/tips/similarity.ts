/**
 * How alike two short Chinese texts are, 0..1: the Dice coefficient of their character bigrams after
 * dropping punctuation, spaces and case. Chinese has no word boundaries, and two residents describing
 * the same corridor full of e-bikes share many bigrams (楼道, 电动, 充电) even in different words.
 */
export function textSimilarity(a: string, b: string): number {
  const A = bigrams(a);
  const B = bigrams(b);
  if (!A.size || !B.size) return 0;
  let shared = 0;
  for (const [g, n] of A) shared += Math.min(n, B.get(g) ?? 0);
  const total = [...A.values(), ...B.values()].reduce((s, n) => s + n, 0);
  return (2 * shared) / total;
}

function bigrams(text: string): Map<string, number> {
  const chars = [...text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\s]/gu, '')];
  const out = new Map<string, number>();
  if (chars.length === 1) out.set(chars[0]!, 1);
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}
