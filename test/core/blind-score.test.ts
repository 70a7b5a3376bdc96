import { describe, expect, it } from 'vitest';
import { loadBlindSets, scoreOurs, type BlindItem } from '../../bench/blind.ts';
import type { Answer } from '../../core/knowledge/answer.ts';
import { realContent } from '../support/content.ts';

const item = (id: string, label: BlindItem['label'], more: Partial<BlindItem> = {}): BlindItem => ({
  id, persona: 'p', intent: 'question', text: id, label, ids: [], subject: '', numbers: [], hazards: [], note: '', ...more,
});
const reply = (a: Partial<Answer>): Answer => ({ question: '', kind: 'answer', answer: '', matched: false, emergency: false, score: 0, sources: [], related: [], ...a }) as Answer;

describe('the blind check scores from the judge\'s labels', () => {
  it('a gap answered with any entry is confident wrong; an honest gap and a right entry are correct', () => {
    const entry = (id: string) => ({ id }) as Answer['entry'];
    const replies: Record<string, Answer> = {
      right: reply({ matched: true, entry: entry('fire-oil-pan') }),
      wrong: reply({ matched: true, entry: entry('geo-landslide-escape') }),
      gapAnswered: reply({ matched: true, entry: entry('quake-outdoors') }),
      gapHonest: reply({ kind: 'gap' }),
      refused: reply({ kind: 'off_topic' }),
    };
    const items = [
      item('right', 'answer', { ids: ['fire-oil-pan'] }), item('wrong', 'answer', { ids: ['forest-escape-fire'] }),
      item('gapAnswered', 'gap'), item('gapHonest', 'gap'), item('refused', 'answer', { ids: ['aid-aed'] }),
    ];
    const s = scoreOurs(items, (q) => replies[q]!);
    expect(s.coveredCorrect).toBe(0.333);
    expect(s.confidentWrong).toBe(0.4);
    expect(s.gapsHonest).toBe(0.5);
    expect(s.allSafetyCorrect).toBe(0.4);
    expect(s.wrongRefusals).toBe(0.2);
  });

  it('an emergency counts its number only on the first line, its steps only from a fitting rule', () => {
    const items = [item('e1', 'emergency', { numbers: ['120'], hazards: ['cardiac'] }), item('e2', 'emergency', { numbers: ['119'], hazards: ['forest-fire'] })];
    const replies: Record<string, Answer> = {
      e1: reply({ kind: 'emergency', emergency: true, answer: '🚨 拨打 120\n1. 胸外按压', emergencyRule: 'cardiac' }),
      e2: reply({ kind: 'emergency', emergency: true, answer: '🚨 紧急\n拨打 119', emergencyRule: 'landslide', extra: { id: 'geo-landslide-escape', title: '' } }),
    };
    const s = scoreOurs(items, (q) => replies[q]!);
    expect(s.emergencyNumberFirst).toBe(0.5);
    expect(s.emergencyRightSteps).toBe(0.5);
    expect(s.emergencyOffHazardExtras).toBe(1);
  });

  it('every stored set is labelled, and every id it names exists', () => {
    const { kb } = realContent();
    const ids = new Set(kb.entries.map((e) => e.id));
    const rules = new Set(kb.triager.rules.map((r) => r.id));
    const sets = loadBlindSets();
    expect(sets.length).toBeGreaterThanOrEqual(4);
    for (const { items } of sets) {
      for (const i of items) {
        expect(['answer', 'gap', 'emergency', 'out-of-scope']).toContain(i.label);
        for (const id of i.ids) expect(ids.has(id), `${i.id}: ${id}`).toBe(true);
        for (const h of i.hazards) expect(rules.has(h), `${i.id}: ${h}`).toBe(true);
      }
    }
  });
});
