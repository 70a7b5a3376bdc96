/**
 * `npm run bench -- blind`: the check on questions written by people who never saw the knowledge base
 * (test/fixtures/blind/). Each item carries a judge's label, made from the knowledge base and official
 * guidance without seeing our replies; every figure here comes from those labels, none from keywords.
 * MiniSearch's top hit, always taken, is scored under the same labels as the peer to beat.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadContent } from '../core/content/load-content.ts';
import type { Answer } from '../core/knowledge/answer.ts';
import { DISTRESS_MODEL_RULE } from '../core/knowledge/triage.ts';
import { baseline, baselineThreshold, type Top1 } from './retrieval.ts';
import { loadQuestionSet, round, TUNING_SETS, writeResult } from './support.ts';

const CONTENT = new URL('../content', import.meta.url).pathname;
export const BLIND_DIR = path.resolve(import.meta.dirname, '../test/fixtures/blind');

export type BlindLabel = 'answer' | 'gap' | 'emergency' | 'out-of-scope';

export interface BlindItem {
  readonly id: string;
  readonly persona: string;
  readonly intent: string;
  readonly text: string;
  readonly label: BlindLabel;
  /** Acceptable entries: the answer, or the block under an emergency's steps. */
  readonly ids: readonly string[];
  readonly subject: string;
  readonly numbers: readonly string[];
  /** Emergency rules whose first steps fit; empty: only a neutral header fits. */
  readonly hazards: readonly string[];
  readonly note: string;
}

/** Rules whose steps name no hazard: right whenever the judge found no rule that fits. */
const NEUTRAL = new Set(['distress', DISTRESS_MODEL_RULE, 'help']);

export function loadBlindSets(): { name: string; items: BlindItem[] }[] {
  if (!fs.existsSync(BLIND_DIR)) return [];
  return fs.readdirSync(BLIND_DIR).filter((f) => /^set-[a-z0-9]+\.json$/.test(f)).sort()
    .map((f) => ({ name: f.slice(0, -5), items: JSON.parse(fs.readFileSync(path.join(BLIND_DIR, f), 'utf8')) as BlindItem[] }));
}

const share = (n: number, of: number): number | null => (of ? round(n / of) : null);

/** The entry a reply gives as advice: the answer, or the block under an emergency's steps. */
const given = (a: Answer): string | undefined => (a.matched ? a.entry?.id : undefined);

export function scoreOurs(items: readonly BlindItem[], ask: (q: string) => Answer) {
  const covered = items.filter((i) => i.label === 'answer');
  const gaps = items.filter((i) => i.label === 'gap');
  const safety = [...covered, ...gaps];
  const emergencies = items.filter((i) => i.label === 'emergency');
  const oos = items.filter((i) => i.label === 'out-of-scope');
  const replies = new Map(items.map((i) => [i.id, ask(i.text)]));
  const r = (i: BlindItem): Answer => replies.get(i.id)!;
  const right = covered.filter((i) => { const g = given(r(i)); return !!g && i.ids.includes(g); });
  const honestGaps = gaps.filter((i) => !given(r(i)) && !r(i).emergency);
  const wrong = safety.filter((i) => { const g = given(r(i)); return !!g && !i.ids.includes(g); });
  const refused = safety.filter((i) => r(i).kind === 'off_topic');
  const falseAlarms = [...safety, ...oos].filter((i) => r(i).emergency);
  const raised = emergencies.filter((i) => r(i).emergency);
  const numberFirst = emergencies.filter((i) => {
    const first = r(i).answer.split('\n')[0] ?? '';
    return !!i.numbers[0] && r(i).emergency && first.includes(i.numbers[0]);
  });
  const rightSteps = raised.filter((i) => {
    const rule = r(i).emergencyRule ?? '';
    return i.hazards.length ? i.hazards.includes(rule) : NEUTRAL.has(rule);
  });
  const offExtras = raised.filter((i) => { const x = r(i).extra?.id; return !!x && !i.ids.includes(x); });
  const turnedAway = oos.filter((i) => !given(r(i)) && !r(i).emergency);
  const list = (xs: BlindItem[]) => xs.map((i) => ({ id: i.id, text: i.text, label: i.label, ids: i.ids, got: given(r(i)) ?? r(i).kind, rule: r(i).emergencyRule }));
  return {
    counts: { items: items.length, covered: covered.length, gaps: gaps.length, emergencies: emergencies.length, outOfScope: oos.length },
    coveredCorrect: share(right.length, covered.length),
    allSafetyCorrect: share(right.length + honestGaps.length, safety.length),
    confidentWrong: share(wrong.length, safety.length),
    gapsHonest: share(honestGaps.length, gaps.length),
    wrongRefusals: share(refused.length, safety.length),
    falseAlarms: share(falseAlarms.length, safety.length + oos.length),
    outOfScopeTurnedAway: share(turnedAway.length, oos.length),
    emergencyRaised: share(raised.length, emergencies.length),
    emergencyNumberFirst: share(numberFirst.length, emergencies.length),
    emergencyRightSteps: share(rightSteps.length, emergencies.length),
    emergencyOffHazardExtras: offExtras.length,
    failures: {
      wrong: list(wrong), refused: list(refused), falseAlarms: list(falseAlarms),
      unanswered: list(covered.filter((i) => !right.includes(i) && !wrong.includes(i))),
      missedEmergencies: list(emergencies.filter((i) => !numberFirst.includes(i))),
      wrongSteps: list(raised.filter((i) => !rightSteps.includes(i))), offExtras: list(offExtras),
    },
  };
}

/** The peer under the same labels: a gap or an out-of-scope question answered by it is wrong. */
export function scoreBaseline(items: readonly BlindItem[], top1: Top1, threshold = -Infinity) {
  const covered = items.filter((i) => i.label === 'answer');
  const gaps = items.filter((i) => i.label === 'gap');
  const oos = items.filter((i) => i.label === 'out-of-scope');
  const got = (i: BlindItem) => { const t = top1(i.text); return t && t.score >= threshold ? t.id : undefined; };
  const right = covered.filter((i) => { const g = got(i); return !!g && i.ids.includes(g); }).length;
  const honest = gaps.filter((i) => !got(i)).length;
  const wrong = [...covered, ...gaps].filter((i) => { const g = got(i); return !!g && !i.ids.includes(g); }).length;
  return {
    coveredCorrect: share(right, covered.length),
    allSafetyCorrect: share(right + honest, covered.length + gaps.length),
    confidentWrong: share(wrong, covered.length + gaps.length),
    outOfScopeTurnedAway: share(oos.filter((i) => !got(i)).length, oos.length),
  };
}

export function runBlindBench(): Record<string, unknown> {
  const content = loadContent(CONTENT);
  const sets = loadBlindSets();
  if (!sets.length) throw new Error(`no blind sets in ${BLIND_DIR}`);
  const peer = baseline(content.kb.entries);
  const peerThreshold = baselineThreshold(TUNING_SETS.map((n) => loadQuestionSet(n)), peer);
  const bySet: Record<string, unknown> = {};
  const summary: Record<string, unknown> = {};
  for (const { name, items } of sets) {
    const ours = scoreOurs(items, (q) => content.kb.answerer.ask(q));
    const always = scoreBaseline(items, peer);
    const thresholded = scoreBaseline(items, peer, peerThreshold);
    const { failures, ...figures } = ours;
    const lead = ours.allSafetyCorrect !== null && always.allSafetyCorrect !== null ? round((ours.allSafetyCorrect - always.allSafetyCorrect) * 100, 1) : null;
    summary[name] = { ...figures, miniSearchTopHit: always, miniSearchThresholded: thresholded, leadOverMiniSearchPoints: lead };
    bySet[name] = { ...summary[name] as object, failures };
  }
  writeResult('blind', { entries: content.kb.entries.length, sets: bySet });
  return { entries: content.kb.entries.length, sets: summary };
}
