import { describe, expect, it } from 'vitest';
import { checkIsoDay, checkTypedDay } from '../../../core/broadcast/day-input.ts';
import { readingMinutes } from '../../../core/broadcast/script-view.ts';

describe('days asked for by operators', () => {
  it('reads a typed day written the usual ways as one calendar day', () => {
    for (const typed of ['2026-12-01', '2026-12-1', '2026/12/1', '2026.12.01', '2026年12月1日', '2026年12月1', '20261201', '２０２６－１２－０１', ' 2026-12-01 ']) {
      expect(checkTypedDay(typed), typed).toEqual({ kind: 'ok', date: '2026-12-01' });
    }
  });

  it('tells a non-day from a real day that has no script', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-12', '明天', '', '2026-12-01x', '12/01/2026', '2026121']) {
      expect(checkTypedDay(bad), bad).toEqual({ kind: 'malformed' });
    }
    expect(checkTypedDay('2024-02-29')).toEqual({ kind: 'ok', date: '2024-02-29' });
    expect(checkTypedDay('1999/1/1')).toEqual({ kind: 'unsupported', date: '1999-01-01' });
    expect(checkTypedDay('2051-01-01')).toEqual({ kind: 'unsupported', date: '2051-01-01' });
  });

  it('URLs and buttons accept only the canonical form', () => {
    expect(checkIsoDay('2026-12-01')).toEqual({ kind: 'ok', date: '2026-12-01' });
    expect(checkIsoDay('2026-12-1')).toEqual({ kind: 'malformed' });
    expect(checkIsoDay('20261201')).toEqual({ kind: 'malformed' });
    expect(checkIsoDay('2019-12-31')).toEqual({ kind: 'unsupported', date: '2019-12-31' });
  });

  it('estimates reading time at about 300 characters a minute, never zero', () => {
    expect([readingMinutes(0), readingMinutes(450), readingMinutes(600), readingMinutes(900)]).toEqual([1, 2, 2, 3]);
  });
});
