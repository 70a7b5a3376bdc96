import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadBroadcastContent } from '../../../core/broadcast/broadcast-content.ts';
import { planDay, themesFor } from '../../../core/broadcast/calendar.ts';
import { addDays } from '../../../core/broadcast/dates.ts';
import { ContentError } from '../../../core/errors.ts';
import { CONTENT_DIR } from '../../support/content.ts';

const { calendar } = loadBroadcastContent(CONTENT_DIR);
const ids = (date: string): string[] => themesFor(date, calendar).map((t) => t.id);
const lead = (date: string): string => planDay(date, calendar).theme.id;

describe('special days lead the script', () => {
  it.each(['2026-03-30', '2027-03-29', '2028-03-27', '2029-03-26', '2030-03-25'])('%s is 全国中小学生安全教育日', (date) => {
    expect(lead(date)).toBe('school-safety-day');
    expect(ids(addDays(date, -7))).not.toContain('school-safety-day');
    expect(ids(addDays(date, 1))).not.toContain('school-safety-day');
  });

  it.each(['2026-04-05', '2027-04-05', '2028-04-04', '2029-04-04', '2030-04-05'])('清明 %s is about 文明祭扫 and mountain fires', (date) => {
    expect(lead(date)).toBe('qingming');
    expect(planDay(date, calendar).mayRepeat).toBe(true);
    expect(ids(addDays(date, 1))).not.toContain('qingming');
  });

  it.each(['2026-02-17', '2027-02-06', '2028-01-26', '2029-02-13', '2030-02-03'])('春节 %s: fireworks from 小年 to 元宵', (date) => {
    expect(lead(date)).toBe('spring-festival');
    expect(lead(addDays(date, -7))).toBe('spring-festival');
    expect(lead(addDays(date, 14))).toBe('spring-festival'); // 正月十五
    expect(ids(addDays(date, -8))).not.toContain('spring-festival');
    expect(ids(addDays(date, 15))).not.toContain('spring-festival');
  });

  it.each([
    ['2027-05-12', 'disaster-reduction-day', '全国防灾减灾日'],
    ['2027-10-13', 'intl-disaster-reduction-day', '国际减灾日'],
    ['2027-11-09', 'fire-day', '119消防宣传日'],
  ])('%s leads with %s', (date, id, name) => {
    const plan = planDay(date, calendar);
    expect(plan.theme.id).toBe(id);
    expect(plan.theme.name).toBe(name);
    expect(plan.mayRepeat).toBe(true);
  });

  it('keeps the season behind a special day as a secondary theme', () => {
    expect(ids('2027-11-09')).toEqual(['fire-day', 'fire-month']);
    expect(ids('2027-05-12')).toContain('flood-season');
  });
});

describe('seasons and months', () => {
  it.each([
    ['2027-06-15', 'safety-production-month'],
    ['2027-11-20', 'fire-month'],
    ['2027-12-20', 'winter-fire-co'],
    ['2028-01-05', 'winter-fire-co'],
    ['2027-05-20', 'flood-season'],
    ['2027-09-20', 'flood-season'],
    ['2027-03-10', 'spring-forest-fire'],
    ['2027-10-03', 'national-day'],
  ])('%s → %s', (date, id) => expect(lead(date)).toBe(id));

  it('rotates flood season, drowning prevention and heat through the summer holiday', () => {
    const leads = new Set(Array.from({ length: 6 }, (_, i) => lead(addDays('2027-07-10', i))));
    expect(leads).toEqual(new Set(['flood-season', 'summer-drowning', 'summer-heat']));
    expect(ids('2027-06-20')).not.toContain('summer-drowning');
  });

  it('falls back to general safety knowledge when no theme applies', () => {
    expect(themesFor('2027-10-20', calendar)).toEqual([]);
    expect(planDay('2027-10-20', calendar).theme.id).toBe('general');
  });
});

describe('bad broadcast content stops start-up naming the file', () => {
  let dir: string | undefined;
  afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const withFiles = (edit: (calendar: string, templates: string) => [string, string]): string => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadcast-content-'));
    fs.mkdirSync(path.join(dir, 'broadcast'));
    const read = (f: string): string => fs.readFileSync(path.join(CONTENT_DIR, 'broadcast', f), 'utf8');
    const [c, t] = edit(read('calendar.yaml'), read('templates.yaml'));
    fs.writeFileSync(path.join(dir, 'broadcast', 'calendar.yaml'), c);
    fs.writeFileSync(path.join(dir, 'broadcast', 'templates.yaml'), t);
    return dir;
  };
  const failure = (d: string): ContentError => {
    try {
      loadBroadcastContent(d);
    } catch (e) {
      if (e instanceof ContentError) return e;
      throw e;
    }
    throw new Error('expected a ContentError');
  };

  it('accepts the real content', () => {
    expect(() => loadBroadcastContent(withFiles((c, t) => [c, t]))).not.toThrow();
  });

  it('rejects an unknown topic in calendar.yaml', () => {
    const e = failure(withFiles((c, t) => [c.replace('topics: [森林防火]', 'topics: [山林防火]'), t]));
    expect(e.file).toMatch(/calendar\.yaml$/);
    expect(e.reason).toMatch(/topic must be one of/);
  });

  it('rejects an impossible date in a date table', () => {
    const e = failure(withFiles((c, t) => [c.replace('"2027-04-05"', '"2027-04-31"'), t]));
    expect(e.file).toMatch(/calendar\.yaml$/);
    expect(e.reason).toMatch(/dateTables\.qingming/);
  });

  it('rejects a closing that forgets an emergency number', () => {
    const e = failure(withFiles((c, t) => [c, t.replace('急救120，安全生产举报热线12350', '安全生产举报热线12350')]));
    expect(e.file).toMatch(/templates\.yaml$/);
    expect(e.reason).toMatch(/missing 120/);
  });

  it('rejects a misspelt placeholder that would be read out literally', () => {
    const e = failure(withFiles((c, t) => [c, t.replace('今天是{date}，{weekday}。欢迎', '今天是{date}，{weekdy}。欢迎')]));
    expect(e.reason).toMatch(/unknown placeholder \{weekdy\}/);
  });

  it('rejects symbols a reader would stumble over', () => {
    const e = failure(withFiles((c, t) => [c.replace('请大家防暑降温，', '气温超过35℃时请防暑降温，'), t]));
    expect(e.file).toMatch(/calendar\.yaml$/);
    expect(e.reason).toMatch(/cannot be read aloud/);
  });

  it('names a missing file', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'broadcast-content-'));
    expect(failure(dir).file).toMatch(/broadcast[/\\]calendar\.yaml$/);
  });
});
