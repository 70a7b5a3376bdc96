import { describe, expect, it } from 'vitest';
import { checkFreeText, checkName, checkNeeded, normalizeMobile } from '../../../core/volunteers/input.ts';
import { formatRange, parseLocalDate, parseLocalDateTime } from '../../../core/volunteers/local-time.ts';

// Tuesday 1 December 2026, 09:00 in Asia/Shanghai.
const NOW = Date.parse('2026-12-01T01:00:00Z');
const at = (iso: string): number => Date.parse(`${iso}+08:00`);

describe('what volunteers type', () => {
  it('accepts mainland mobile numbers however they are typed, and nothing else', () => {
    for (const ok of ['13812345678', '138 1234 5678', '138-1234-5678', '+8613812345678', '+86 138 1234 5678', '008613812345678', '８６１３８１２３４５６７８']) {
      expect(normalizeMobile(ok), ok).toBe('13812345678');
    }
    for (const bad of ['12345', '1381234567', '138123456789', '12812345678', '+1 415 555 0100', '023-67891234', '1381234567a', '']) {
      expect(normalizeMobile(bad), bad).toBeUndefined();
    }
  });

  it('names: letters of any script and the middle dot; no emoji, digits or 5,000-character pastes', () => {
    expect(checkName('  张 三  ')).toEqual({ ok: true, value: '张 三' });
    expect(checkName('阿卜杜·热合曼').ok).toBe(true);
    expect(checkName('Anna Li').ok).toBe(true);
    expect(checkName('张\u200b三')).toEqual({ ok: true, value: '张三' });
    expect(checkName('😀😀')).toMatchObject({ ok: false, reason: 'name_chars' });
    expect(checkName('张三123')).toMatchObject({ ok: false, reason: 'name_chars' });
    expect(checkName('张'.repeat(5000))).toMatchObject({ ok: false, reason: 'name_long', max: 30 });
    expect(checkName('张')).toMatchObject({ ok: false, reason: 'name_short' });
  });

  it('free text needs a letter or digit and respects its limit; people are 1–50', () => {
    expect(checkFreeText('🏠🏠🏠', 40)).toMatchObject({ ok: false, reason: 'text_letters' });
    expect(checkFreeText('双湖社区', 40)).toEqual({ ok: true, value: '双湖社区' });
    expect(checkFreeText('a'.repeat(41), 40)).toMatchObject({ ok: false, reason: 'text_long' });
    expect(checkNeeded('3')).toEqual({ ok: true, value: 3 });
    expect(checkNeeded('３人')).toEqual({ ok: true, value: 3 });
    for (const bad of ['0', '51', '-1', '2.5', '三', '']) expect(checkNeeded(bad).ok, bad).toBe(false);
  });
});

describe('assignment times in Asia/Shanghai', () => {
  it('parses the ways staff write a time', () => {
    expect(parseLocalDateTime('2026-12-02 09:00', NOW)).toBe(at('2026-12-02T09:00'));
    expect(parseLocalDateTime('2026/12/2 9:30', NOW)).toBe(at('2026-12-02T09:30'));
    expect(parseLocalDateTime('12-3 14:00', NOW)).toBe(at('2026-12-03T14:00'));
    expect(parseLocalDateTime('12月3日 下午3点', NOW)).toBe(at('2026-12-03T15:00'));
    expect(parseLocalDateTime('12月3日 下午3点半', NOW)).toBe(at('2026-12-03T15:30'));
    expect(parseLocalDateTime('明天 9点', NOW)).toBe(at('2026-12-02T09:00'));
    expect(parseLocalDateTime('后天 晚上8点', NOW)).toBe(at('2026-12-03T20:00'));
    expect(parseLocalDateTime('２０２６－１２－０２　０９：００', NOW)).toBe(at('2026-12-02T09:00'));
    // Without a year, a day already past this year is next year's.
    expect(parseLocalDateTime('1月5日 9:00', NOW)).toBe(at('2027-01-05T09:00'));
    // A bare time for the end is on the start's day.
    expect(parseLocalDateTime('12:00', NOW, at('2026-12-02T09:00'))).toBe(at('2026-12-02T12:00'));
  });

  it('refuses impossible times', () => {
    for (const bad of ['2026-02-30 09:00', '2026-12-02 25:00', '2026-12-02 09:61', '随便什么时候', '12:00', 'x'.repeat(5000)]) {
      expect(parseLocalDateTime(bad, NOW), bad).toBeUndefined();
    }
  });

  it('formats ranges and parses pause dates', () => {
    expect(formatRange(at('2026-12-02T09:00'), at('2026-12-02T12:00'))).toBe('12月2日（周三）09:00–12:00');
    expect(formatRange(at('2026-12-02T20:00'), at('2026-12-03T02:00'))).toBe('12月2日（周三）20:00 至 12月3日（周四）02:00');
    expect(parseLocalDate('2026-12-31', NOW)).toBe('2026-12-31');
    expect(parseLocalDate('1月5日', NOW)).toBe('2027-01-05');
    expect(parseLocalDate('2026-02-30', NOW)).toBeUndefined();
  });
});
