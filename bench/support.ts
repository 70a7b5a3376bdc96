import fs from 'node:fs';
import path from 'node:path';

export const RESULTS_DIR = path.resolve(import.meta.dirname, 'results');

/** Writes one benchmark's results as JSON under bench/results/ and echoes a summary line. */
export function writeResult(name: string, result: Record<string, unknown>): void {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  const payload = { name, at: new Date().toISOString(), node: process.version, ...result };
  fs.writeFileSync(file, `${JSON.stringify(payload, null, 2)}\n`);
  console.log(`${name}: ${file}`);
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export const round = (n: number, digits = 3): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface DevSet {
  inScope: { q: string; ids: string[] }[];
  outOfScope: string[];
  emergency: { q: string; numbers: string[] }[];
}

/**
 * The question sets written from the entry titles, one per writer, oldest first. Each new holdout is
 * measured once, unseen; when the next one is written it joins the tuning pool.
 */
export const QUESTION_SETS = ['dev-set', 'holdout-set', 'holdout-2', 'holdout-3', 'holdout-4', 'holdout-5', 'holdout-6', 'holdout-7', 'holdout-8'] as const;
/** The sets the confidence model and both systems' thresholds are tuned on: all but the newest, which only checks. */
export const TUNING_SETS = QUESTION_SETS.slice(0, -1);
export const CHECK_SET = QUESTION_SETS[QUESTION_SETS.length - 1]!;

export function loadQuestionSet(name: (typeof QUESTION_SETS)[number] | 'emergency-holdout' | 'emergency-check'): DevSet {
  return JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../test/fixtures/${name}.json`), 'utf8')) as DevSet;
}

export const loadDevSet = (): DevSet => loadQuestionSet('dev-set');

/** Emergency-only sets by further writers: messages sent in an emergency, and calm ones about the same hazards. */
export interface EmergencySet {
  emergency: { q: string; numbers: string[] }[];
  calm: string[];
}

export const EMERGENCY_SETS = ['emergency-fresh-a', 'emergency-fresh-b', 'emergency-fresh-c', 'emergency-fresh-d', 'emergency-fresh-e', 'emergency-fresh-f', 'emergency-fresh-g', 'emergency-fresh-h', 'emergency-fresh-i'] as const;

export function loadEmergencySet(name: (typeof EMERGENCY_SETS)[number]): EmergencySet | undefined {
  const file = path.resolve(import.meta.dirname, `../test/fixtures/${name}.json`);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as EmergencySet) : undefined;
}
