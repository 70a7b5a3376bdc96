/**
 * Trains the distress model (core/knowledge/distress-model.ts) and picks its threshold by
 * leave-one-writer-out cross-validation: each set of emergency messages, written by a different
 * person, is scored by a model trained without it, so the threshold is chosen on wording the model has
 * not seen. Writes content/lexicon/distress-model.json. The holdout sets are never trained on. Each
 * emergency set was measured once, unseen, before it joined training (see the closing notes).
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadContent, type Content } from '../core/content/load-content.ts';
import { distressScore, trainDistressWeights } from '../core/knowledge/distress-model.ts';
import { DISTRESS_MODEL_RULE } from '../core/knowledge/triage.ts';
import { EMERGENCY_SETS, loadEmergencySet, loadQuestionSet, round, writeResult } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
/**
 * The lowest threshold at which the model alone raises at most this share of false alarms on held-out
 * calm questions. Rules already read 100% on every fold (their misses were fixed), so what is chosen
 * here is what the model adds on wording it has not seen, at a bounded cost.
 */
const MAX_FALSE_ALARMS = 0.02;

/** The training data, one fold per writer, already normalised as triage reads it. */
export function distressTrainingData(content: Content) {
  const { normalizer, entries } = content.kb;
  const prep = (q: string): string => normalizer.canonical(q.slice(0, 500).replace(/\s+/g, ''));
  const dev = loadQuestionSet('dev-set');
  // One fold per writer: their emergency messages, and the calm questions they wrote alongside.
  const folds = [
    { name: 'dev-set', emergency: dev.emergency.map((e) => e.q), calm: [...dev.inScope.map((d) => d.q), ...dev.outOfScope] },
    { name: 'emergency-holdout', emergency: loadQuestionSet('emergency-holdout').emergency.map((e) => e.q), calm: [] },
    { name: 'emergency-check', emergency: loadQuestionSet('emergency-check').emergency.map((e) => e.q), calm: [] },
    ...EMERGENCY_SETS.map((name) => {
      const set = loadEmergencySet(name)!;
      return { name, emergency: set.emergency.map((m) => m.q), calm: set.calm };
    }),
  ].map((f) => ({ ...f, emergency: f.emergency.map(prep), calm: f.calm.map(prep) }));
  // The knowledge base's own phrasings are questions about hazards: calm by construction.
  const phrasings = entries.flatMap((e) => [e.title, ...e.questions]).map(prep);
  const train = (use: typeof folds) => trainDistressWeights(use.flatMap((g) => g.emergency), [...use.flatMap((g) => g.calm), ...phrasings]);
  return { folds, train };
}

export function runDistressBench(): Record<string, unknown> {
  const content = loadContent(path.join(ROOT, 'content'));
  const { triager } = content.kb;
  const { folds, train } = distressTrainingData(content);
  // What rules and signs catch without the model (the live triager includes the current model file).
  const ruled = (t: string): boolean => {
    const r = triager.triage(t);
    return r.hypothetical || r.rules.some((rule) => rule.id !== DISTRESS_MODEL_RULE);
  };

  const held: { score: number; emergency: boolean; ruled: boolean }[] = [];
  for (const f of folds) {
    const rest = folds.filter((g) => g !== f);
    const weights = train(rest);
    const model = { threshold: 0, weights };
    for (const t of f.emergency) held.push({ score: distressScore(model, t), emergency: true, ruled: ruled(t) });
    for (const t of f.calm) held.push({ score: distressScore(model, t), emergency: false, ruled: ruled(t) });
  }
  const at = (th: number) => {
    const pos = held.filter((h) => h.emergency);
    const neg = held.filter((h) => !h.emergency);
    return {
      threshold: th,
      recall: round(pos.filter((h) => h.ruled || h.score > th).length / pos.length),
      modelAloneRecall: round(pos.filter((h) => h.score > th).length / pos.length),
      calmFlagged: round(neg.filter((h) => h.ruled || h.score > th).length / neg.length),
      calmFlaggedByModelOnly: round(neg.filter((h) => !h.ruled && h.score > th).length / neg.length),
    };
  };
  const curve = Array.from({ length: 41 }, (_, i) => at(i * 0.25));
  const chosen = curve.find((c) => c.calmFlaggedByModelOnly <= MAX_FALSE_ALARMS) ?? curve.at(-1)!;

  const weights = train(folds);
  const file = path.join(ROOT, 'content', 'lexicon', 'distress-model.json');
  const sorted = Object.fromEntries([...weights].sort((x, y) => (x[0] < y[0] ? -1 : 1)));
  fs.writeFileSync(file, `${JSON.stringify({ generatedBy: 'npm run bench -- distress', threshold: chosen.threshold, trainedOn: { emergency: folds.reduce((n, f) => n + f.emergency.length, 0), calm: folds.reduce((n, f) => n + f.calm.length, 0) + content.kb.entries.reduce((n, e) => n + 1 + e.questions.length, 0) }, weights: sorted })}\n`);
  const result = { chosen, features: weights.size, crossValidated: curve.filter((c) => c.threshold % 1 === 0), file: path.relative(ROOT, file) };
  writeResult('distress', result);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(runDistressBench(), null, 1));
