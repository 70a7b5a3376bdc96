import { describe, expect, it } from 'vitest';
import { realContent } from '../support/content.ts';

// The failures residents met (issue 12, paraphrased): each asserts what the resident would read.
const { answerer } = realContent().kb;
const ask = (q: string) => answerer.ask(q);
const steps = (answer: string): string => answer.split('📖')[0]!;

describe('a confident answer is about what the question names', () => {
  it('a cough is not answered with the bleach-and-toilet-cleaner entry: it is a gap, said plainly, with the hotlines', () => {
    const a = ask('咳嗽一直不好咋办');
    expect(a.matched).toBe(false);
    expect(a.kind).toBe('gap');
    expect(a.answer).toMatch(/关于「[^」]*咳嗽[^」]*」/);
    expect(a.answer).toContain('120');
  });

  it('escaping a forest fire gets the forest-fire steps, never the landslide escape', () => {
    const a = ask('山上起火了往哪里跑');
    expect(a.emergencyRule).toBe('forest-fire');
    expect(a.answer).toMatch(/逆风/);
    expect(a.answer).not.toMatch(/抱住|滑坡/);
  });

  it('an earthquake in a high-rise is never told to take the stairs down as in a fire', () => {
    const a = ask('住高楼遇到地震要不要往楼下跑');
    expect(a.entry?.id).toMatch(/^quake-/);
    expect(a.answer).not.toMatch(/走楼梯/);
  });

  it('"how do I use an AED" is answered, not refused as a timetable question', () => {
    const a = ask('AED怎么用');
    expect(a.kind).toBe('answer');
    expect(a.entry?.id).toBe('aid-aed');
  });

  it('a village name typed alone is not an emergency; a fire typed with zero-width characters is', () => {
    expect(ask('双塘村').emergency).toBe(false);
    expect(ask('溺水').emergency).toBe(false);
    const a = ask('着\u200b火\u200b了');
    expect(a.emergency).toBe(true);
    expect(a.answer.split('\n')[0]).toContain('119');
  });

  it('a calm question in a hazard\'s words is answered, with the numbers, not met with an alarm', () => {
    const a = ask('屋后面挖个坎坎修房子会不会垮');
    expect(a.emergency).toBe(false);
    expect(a.entry?.id).toBe('build-slope-house');
    // The same hazard happening now is an alarm.
    expect(ask('屋后面的坡垮了 房子遭埋了').emergency).toBe(true);
  });
});

describe('emergency replies are built from the right hazard', () => {
  it('someone on the floor who does not answer gets CPR, and nothing about power lines', () => {
    const a = ask('我妈倒在地上叫不应');
    expect(a.emergencyRule).toBe('cardiac');
    expect(a.answer).toMatch(/胸外按压/);
    expect(a.answer).not.toMatch(/电线|供电/);
  });

  it('a hand caught in a machine: stop the machine and 120, not the rubble template', () => {
    const a = ask('工人的手被机器卷进去了');
    expect(a.emergencyRule).toBe('machine');
    expect(steps(a.answer)).toMatch(/停机|切断电源/);
    expect(a.answer.split('\n')[0]).toContain('120');
    expect(a.answer).not.toMatch(/敲打管道|保存体力/);
  });

  it('a choking child gets back blows and the Heimlich manoeuvre, with 120 first and nothing about lifts or 119', () => {
    const a = ask('小孩被噎住了');
    expect(a.emergencyRule).toBe('choking');
    expect(a.answer.split('\n')[0]).toContain('120');
    expect(a.answer.split('\n')[0]).not.toContain('119');
    expect(steps(a.answer)).toMatch(/海姆立克/);
    expect(a.answer).not.toMatch(/电梯/);
  });

  it('a worker down in a sewage pit: do not go in, 119 and 120, no drowning rescue', () => {
    const a = ask('有个工人掉进污水池晕倒了');
    expect(a.emergencyRule).toBe('confined-space');
    expect(steps(a.answer)).toMatch(/不要盲目下去/);
    expect(a.answer.split('\n')[0]).toMatch(/119.*120|120.*119/);
  });

  it('a car in floodwater: unbuckle, open the window, get out', () => {
    const a = ask('车子开进水里了 水在往里灌');
    expect(a.emergencyRule).toBe('car-in-water');
    expect(steps(a.answer)).toMatch(/安全带/);
    expect(steps(a.answer)).toMatch(/车窗/);
  });

  it('no block under the steps is about another hazard than the rule\'s', () => {
    const { index, triager } = realContent().kb;
    for (const q of ['我妈倒在地上叫不应', '工人的手被机器卷进去了', '有个工人掉进污水池晕倒了', '山上起火了往哪里跑', '小孩被噎住了', '屋头着火了快来人']) {
      const a = ask(q);
      if (!a.extra) continue;
      const rule = triager.rules.find((r) => r.id === a.emergencyRule)!;
      const about = index.entryConcepts.get(a.extra.id)!;
      expect(rule.concepts.some((c) => about.has(c)) || rule.entry === a.extra.id, `${q} → ${a.extra.id}`).toBe(true);
    }
  });
});
