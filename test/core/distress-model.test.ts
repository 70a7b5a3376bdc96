import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { distressScore, trainDistressWeights } from '../../core/knowledge/distress-model.ts';
import { loadTriager } from '../../core/knowledge/triage.ts';
import { ContentError } from '../../core/errors.ts';
import { CONTENT_DIR, realContent } from '../support/content.ts';
import { distressTrainingData } from '../../bench/distress.ts';

describe('distress model', () => {
  it('trained on a few messages, scores a new emergency statement above a question about the same hazard', () => {
    const weights = trainDistressWeights(
      ['屋头着火了快来人', '我妈倒在地上了', '有人掉河里了救命', '车子撞了人在流血'],
      ['着火了怎么逃生', '燃气泄漏怎么办', '家里要备灭火器吗', '溺水了怎么急救'],
      1,
    );
    const model = { threshold: 0, weights };
    expect(distressScore(model, '我爸倒在厨房了')).toBeGreaterThan(distressScore(model, '厨房着火了怎么灭'));
    // Features never seen say nothing: an empty or unknown message scores zero.
    expect(distressScore(model, '')).toBe(0);
    expect(distressScore(model, 'xyz')).toBe(0);
  });

  const { triager } = realContent().kb;
  it.each([
    '隔壁屋头一直在砸东西 女的在哭喊',
    '孙孙吞了两颗吸铁时 肚子痛 在床上滚',
    '婆婆在厕所头半天没出来 敲门也不开',
  ])('"%s": no rule or sign names it, the model still reads an emergency and gives every number', (q) => {
    const t = triager.triage(q);
    expect(t.rules.map((r) => r.label)).toEqual(['unclear']);
    expect(t.numbers).toEqual(['119', '120', '110']);
    expect(t.rules[0]!.actions.join('')).toMatch(/119.*120.*110/);
  });

  it.each([
    '请问灭火器放在哪里比较好',
    '今天天气好热 想去耍水',
    '万一屋头着火了咋个跑',
    // Weak evidence does not count in a question about prices, or in a message with no Chinese at all.
    '燃气最近涨价没得 一方好多钱',
    'hello how are you',
    '感冒了吃布洛芬好还是吃感冒药好',
  ])('"%s" is not an alarm', (q) => {
    expect(triager.triage(q).rules).toEqual([]);
  });

  it('the model file is what training on the current sets and synonyms gives (else: npm run bench -- distress)', () => {
    const file = JSON.parse(fs.readFileSync(path.join(CONTENT_DIR, 'lexicon', 'distress-model.json'), 'utf8')) as { weights: Record<string, number> };
    const { folds, train } = distressTrainingData(realContent());
    expect(Object.fromEntries(train(folds))).toEqual(file.weights);
  });

  it('a damaged model file stops loading with the file named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pingan-distress-'));
    fs.mkdirSync(path.join(dir, 'lexicon'));
    fs.copyFileSync(path.join(CONTENT_DIR, 'lexicon', 'emergency.yaml'), path.join(dir, 'lexicon', 'emergency.yaml'));
    fs.writeFileSync(path.join(dir, 'lexicon', 'distress-model.json'), '{"threshold": 1, "weights": ');
    try {
      expect(() => loadTriager(dir, realContent().kb.normalizer)).toThrow(ContentError);
      expect(() => loadTriager(dir, realContent().kb.normalizer)).toThrow(/distress-model\.json/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
