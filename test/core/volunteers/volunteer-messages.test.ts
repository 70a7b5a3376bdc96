import { describe, expect, it } from 'vitest';
import { hours } from '../../../core/volunteers/volunteer-messages.ts';

describe('volunteer hours as people read them', () => {
  it('whole hours have no ".0"; others keep one decimal', () => {
    expect(hours(120)).toBe('2');
    expect(hours(150)).toBe('2.5');
    expect(hours(185)).toBe('3.1');
    expect(hours(0)).toBe('0');
  });
});
