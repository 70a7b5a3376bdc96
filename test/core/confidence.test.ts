import { describe, expect, it } from 'vitest';
import { confidenceOf, fitConfidenceModel, type ConfidenceInputs } from '../../core/knowledge/confidence.ts';

const x = (lexical: number, unknown: number, service: number): ConfidenceInputs => ({ lexical, unknown, chars: 12, offTopicGap: 1, service, concept: 1 });

describe('the confidence model', () => {
  it('keeps each weight on the side it must be, even when the training data says otherwise', () => {
    // Data in which more unknown words and a service wording go with right answers: a fit without
    // constraints would learn that gibberish and price questions are safer bets.
    const samples = Array.from({ length: 200 }, (_, i) => {
      const y = (i % 2) as 0 | 1;
      return { x: x(0.3 + 0.4 * y + (i % 7) / 50, 0.1 + 0.5 * y, y), y };
    });
    const model = fitConfidenceModel(samples);
    expect(model.lexical).toBeGreaterThan(0);
    expect(model.unknown).toBe(0);
    expect(model.service).toBe(0);
  });

  it('reads a service wording as less sure, all else equal', () => {
    const model = { bias: -2, lexical: 1.4, unknown: 0, length: 1.2, offTopicGap: 3, service: -2.6, concept: 1 };
    expect(confidenceOf(model, x(0.8, 0, 1))).toBeLessThan(confidenceOf(model, x(0.8, 0, 0)));
  });
});
