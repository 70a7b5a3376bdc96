import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toContract } from '../../core/knowledge/answer.ts';
import { realContent } from '../support/content.ts';

const { answerer } = realContent().kb;

describe('emergency triage comes first', () => {
  it.each([
    ['着火了', '119'],
    ['屋头着火了快来人', '119'],
    ['有人落水了', '110'],
    ['煤气味好浓', '119'],
    ['我爸倒在地上叫不醒', '120'],
    ['前面出车祸了有人受伤', '122'],
  ])('"%s" starts with the number %s', (q, number) => {
    const a = answerer.ask(q);
    expect(a.emergency).toBe(true);
    const firstLine = a.answer.split('\n')[0]!;
    expect(firstLine).toContain(number);
    expect(firstLine).toMatch(/拨打/);
  });

  it('does not raise an alarm for prevention questions', () => {
    const a = answerer.ask('平时怎么预防家里起火');
    expect(a.emergency).toBe(false);
    expect(a.answer).toContain('119');
  });

  it('a person in danger described in words no rule names gets a neutral header: every number with what it is for, no hazard\'s steps', () => {
    // No rule names this scene; the distress signs (someone barely responding) do. Without a rule the
    // hazard is unknown, so no hazard-specific step could be trusted.
    const a = answerer.ask('我婆婆坐在沙发上 喊她只会哼');
    expect(a.emergency).toBe(true);
    expect(a.answer.split('\n')[0]).toMatch(/120.*119|120.*110/);
    expect(a.answer).toMatch(/拨打 \*\*119\*\*.*拨打 \*\*120\*\*.*拨打 \*\*110\*\*/);
    expect(a.answer).not.toMatch(/心肺复苏|电梯|灭火器/);
  });

  it('a sign in a general question is not an alarm; a rule\'s situation gains the numbers the signs add', () => {
    expect(answerer.ask('被狗抓了一下没出血 伤口要怎么处理').emergency).toBe(false);
    // A chemical leak (119) with people collapsed (120): both numbers on the first line.
    const first = answerer.ask('化工厂泄漏了 有个工人喊他只会哼').answer.split('\n')[0]!;
    expect(first).toContain('119');
    expect(first).toContain('120');
  });

  it('something past is not an alarm, unless someone is in danger now', () => {
    expect(answerer.ask('去年我们楼里着火了 烧了好几家').emergency).toBe(false);
    const a = answerer.ask('我爸前年走的 我也不想活了 安眠药都吃完了');
    expect(a.emergency).toBe(true);
    expect(a.answer.split('\n')[0]).toMatch(/110|120/);
  });

  it('never tells a rescuer to form a hand chain', () => {
    expect(answerer.ask('有人掉河里了').answer).toMatch(/不要手拉手/);
  });
});

describe('answers only from curated content', () => {
  it('answers a dialect question with a sourced entry', () => {
    const a = answerer.ask('电马儿可不可以推到屋头充电');
    expect(a.matched).toBe(true);
    expect(a.entry?.topic).toBe('电动自行车');
    expect(a.answer).toContain('来源：');
    expect(a.sources[0]?.id).toBe(a.entry?.id);
  });

  it.each(['恐龙是怎么灭绝的', '火星上有没有外星人', '黑洞里面是什么样子'])('says it does not know: %s', (q) => {
    const a = answerer.ask(q);
    expect(a.matched).toBe(false);
    expect(a.sources).toEqual([]);
    expect(a.answer).toContain('没有把握');
    expect(a.answer).toContain('119');
  });

  it.each([
    ['这个月燃气费咋个交', '燃气公司'],
    ['明天渝北会不会下暴雨', '气象台'],
    ['推荐一家好吃的火锅', '不在我的回答范围内'],
    ['猫为什么喜欢纸箱子', '宠物医院'],
  ])('a subject it does not cover gets where to ask instead, not the nearest safety entry: %s', (q, where) => {
    const a = answerer.ask(q);
    expect(a.kind).toBe('off_topic');
    expect(a.matched).toBe(false);
    expect(a.sources).toEqual([]);
    expect(a.related).toEqual([]);
    expect(a.answer).toContain(where);
  });

  it('a safety word in a question about something else is not answered with the safety entry', () => {
    // The helmet entry matches well, but so does the price subject: the confidence reads the gap.
    expect(answerer.ask('电动车头盔买哪个颜色的好看').matched).toBe(false);
    expect(answerer.ask('电动车头盔一定要戴吗').matched).toBe(true);
  });

  it('a question asking for a service (a price, a rental) is turned away, a safety question with the same words is not', () => {
    expect(answerer.ask('安全出口指示牌在哪里批发便宜').matched).toBe(false);
    expect(answerer.ask('坐出租车要不要系安全带').entry?.id).toBe('road-helmet-seatbelt');
  });

  it.each([
    ['打120要说些啥', 'numbers-call-120'],
    ['打119要说些啥', 'fire-call-119'],
    ['12350是干啥的', 'numbers-12350'],
    ['12345是干啥的', 'numbers-12345'],
  ])('a hotline number in the question picks the entry about that number: %s', (q, id) => {
    expect(answerer.ask(q).entry?.id).toBe(id);
  });

  it('the same words inside a safety question still get the safety answer', () => {
    expect(answerer.ask('燃气热水器装在浴室可以不').kind).toBe('answer');
    expect(answerer.ask('暴雨红色预警要做啥').kind).toBe('answer');
  });
});

describe('bad input gets a clear Chinese reply', () => {
  it.each([
    ['', '请输入'],
    ['   ', '请输入'],
    ['😀😀😀', '文字'],
    ['how do I use a fire extinguisher', '中文'],
    ['\u0000\u0007\u001b[31m', '文字'],
    ['火'.repeat(10_000), '有点长'],
  ])('%j', (q, expected) => {
    const a = answerer.ask(q);
    expect(a.matched).toBe(false);
    expect(a.answer).toContain(expected);
  });

  it('still triages an emergency hidden in a very long message', () => {
    const a = answerer.ask(`着火了！${'快'.repeat(9_000)}`);
    expect(a.emergency).toBe(true);
  });

  it('answers mixed scripts', () => {
    expect(answerer.ask('CPR怎么做').matched).toBe(true);
  });
});

describe('the JSON contract', () => {
  it('has exactly the documented fields in order', () => {
    const c = toContract(answerer.ask('灭火器怎么用'));
    expect(Object.keys(c)).toEqual(['question', 'answer', 'matched', 'emergency', 'sources', 'score']);
    expect(c.sources[0]).toEqual({ id: expect.any(String), title: expect.any(String) });
  });
});

describe('emergency recall on messages written apart from the rules', () => {
  // Sets by eight writers; misses found in them were fixed with general patterns and distress signs, so
  // they now guard against regressions rather than measure recall on unseen wording (see the bench).
  for (const set of ['dev-set', 'holdout-set', 'emergency-holdout', 'emergency-check', 'emergency-fresh-a', 'emergency-fresh-b', 'emergency-fresh-c', 'emergency-fresh-d', 'emergency-fresh-e', 'emergency-fresh-f', 'emergency-fresh-g', 'emergency-fresh-h', 'emergency-fresh-i']) {
    it(`${set}: every message's first line names a number to call`, () => {
      const file = new URL(`../fixtures/${set}.json`, import.meta.url);
      const { emergency } = JSON.parse(fs.readFileSync(file, 'utf8')) as { emergency: { q: string; numbers: string[] }[] };
      const missed = emergency.filter((e) => {
        const a = answerer.ask(e.q);
        return !(a.emergency && e.numbers.some((n) => (a.answer.split('\n')[0] ?? '').includes(n)));
      });
      expect(missed.map((e) => e.q)).toEqual([]);
    });
  }
});
