import { describe, expect, it } from 'vitest';
import { addDays, isIsoDate, lastMondayOfMarch, todayIn, weekdayOf } from '../../../core/broadcast/dates.ts';
import { countZh, ordinalZh, spokenDate, spokenWeekday } from '../../../core/broadcast/spoken.ts';

describe('moving dates 2026–2030', () => {
  it.each([
    [2026, '2026-03-30'],
    [2027, '2027-03-29'],
    [2028, '2028-03-27'],
    [2029, '2029-03-26'],
    [2030, '2030-03-25'],
  ])('全国中小学生安全教育日 %i is the last Monday of March, %s', (year, expected) => {
    expect(lastMondayOfMarch(year)).toBe(expected);
    expect(weekdayOf(expected)).toBe(1);
    expect(addDays(expected, 7).slice(5, 7)).toBe('04');
  });
});

describe('calendar days without time-zone slips', () => {
  it('takes "today" in Asia/Shanghai, not in UTC or the machine zone', () => {
    // 16:30 UTC on 28 November is 00:30 on 29 November in Chongqing.
    expect(todayIn('Asia/Shanghai', new Date('2026-11-28T16:30:00Z'))).toBe('2026-11-29');
    expect(todayIn('Asia/Shanghai', new Date('2026-11-28T15:59:59Z'))).toBe('2026-11-28');
    expect(todayIn('Asia/Shanghai', new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01');
  });

  it('adds days across months, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2027-01-01', -14)).toBe('2026-12-18');
  });

  it('rejects days that do not exist', () => {
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-5')).toBe(false);
  });
});

describe('dates read aloud', () => {
  it.each([
    ['2026-11-29', '二〇二六年十一月二十九日', '星期日'],
    ['2027-01-01', '二〇二七年一月一日', '星期五'],
    ['2030-10-10', '二〇三〇年十月十日', '星期四'],
    ['2028-05-20', '二〇二八年五月二十日', '星期六'],
  ])('%s → %s，%s', (date, spoken, weekday) => {
    expect(spokenDate(date)).toBe(spoken);
    expect(spokenWeekday(date)).toBe(weekday);
  });

  it('counts and orders items the way they are said', () => {
    expect(countZh(2)).toBe('两');
    expect(countZh(4)).toBe('四');
    expect(ordinalZh(2)).toBe('第二');
  });
});
