import { describe, expect, it } from 'vitest';
import { loadContent } from '../../../core/content/load-content.ts';
import { themesFor } from '../../../core/broadcast/calendar.ts';
import { addDays } from '../../../core/broadcast/dates.ts';
import { generateScript, type BroadcastScript } from '../../../core/broadcast/generate-script.ts';
import { UserFacingError } from '../../../core/errors.ts';
import type { KbEntry } from '../../../core/knowledge/kb-entry.ts';
import { CONTENT_DIR, realContent } from '../../support/content.ts';

const content = realContent();
const kbById = new Map(content.kb.entries.map((e) => [e.id, e]));

// One script per day: two weeks of December 2026 (for spacing at the year's start) and all of 2027.
const scripts = new Map<string, BroadcastScript>();
for (let d = '2026-12-18'; d <= '2027-12-31'; d = addDays(d, 1)) scripts.set(d, generateScript({ date: d, content }));
const year2027 = [...scripts.values()].filter((s) => s.date.startsWith('2027'));

const spoken = (text: string): number => [...text.replace(/\s/g, '')].length;
// Written independently of the generator's own filter, so the test checks the output, not the code.
const unreadable: [string, RegExp][] = [
  ['Markdown', /[*#`_[\]]|^>/m],
  ['emoji', /\p{Extended_Pictographic}/u],
  ['link', /https?:|www\.|\]\(/],
  ['ASCII list marker', /^\s*(\d+[.)、]|[-*+•])\s*/m],
  ['symbol', /[℃%％~～/／<>|\\]/],
];

describe('a script for every day of 2027', () => {
  it('has 365 scripts of 450–900 read-aloud characters', () => {
    expect(year2027).toHaveLength(365);
    for (const s of year2027) {
      expect(s.chars, s.date).toBe(spoken(s.text));
      expect(s.chars, s.date).toBeGreaterThanOrEqual(450);
      expect(s.chars, s.date).toBeLessThanOrEqual(900);
    }
  });

  it('lists at least one source, each an entry in the knowledge base with its title', () => {
    for (const s of year2027) {
      expect(s.sources.length, s.date).toBeGreaterThanOrEqual(1);
      for (const src of s.sources) expect(kbById.get(src.id)?.title, `${s.date} ${src.id}`).toBe(src.title);
      expect(s.topics).toEqual([...new Set(s.sources.map((src) => kbById.get(src.id)!.topic))]);
    }
  });

  it('reads each entry it lists, in order', () => {
    for (const s of year2027) {
      const body = s.text;
      let at = 0;
      for (const src of s.sources) {
        const lead = kbById.get(src.id)!.title.slice(0, 6);
        const found = body.indexOf(lead, at);
        expect(found, `${s.date} ${src.id}`).toBeGreaterThan(at - 1);
        at = found;
      }
    }
  });

  it('never repeats an entry within 14 days, except on special days', () => {
    const dates = [...scripts.keys()];
    const exceptions: string[] = [];
    for (const s of year2027) {
      const i = dates.indexOf(s.date);
      const recent = new Set(dates.slice(i - 13, i).flatMap((d) => scripts.get(d)!.sources.map((x) => x.id)));
      const repeated = s.sources.filter((x) => recent.has(x.id)).map((x) => x.id);
      if (themesFor(s.date, content.broadcast.calendar)[0]?.mayRepeat) exceptions.push(s.date);
      else expect(repeated, s.date).toEqual([]);
    }
    // Only a handful of special days (安全教育日, 清明, 防灾减灾日, 国际减灾日, 119) may repeat.
    expect(exceptions.length).toBeLessThanOrEqual(8);
  });

  it('is plain speech: no Markdown, emoji, links, symbols or "1." list markers', () => {
    for (const s of year2027) {
      for (const [what, re] of unreadable) expect(re.test(s.text), `${s.date}: ${what} in ${s.text.match(re)?.[0]}`).toBe(false);
    }
  });

  it('ends every script with 119, 110, 120 and 12350 and names the date as it is read', () => {
    for (const s of year2027) {
      for (const n of ['119', '110', '120', '12350']) expect(s.text, s.date).toContain(n);
    }
    expect(scripts.get('2027-11-29')!.text).toContain('二〇二七年十一月二十九日，星期一');
  });

  it('numbers items 第一、第二 … as many as it reads', () => {
    for (const s of year2027) {
      s.sources.forEach((_, i) => expect(s.text, s.date).toContain(`${['第一', '第二', '第三', '第四', '第五'][i]}`));
    }
  });
});

describe('themes a listener notices', () => {
  it('talks about fire on 119 day and names the day', () => {
    const s = scripts.get('2027-11-09')!;
    expect(s.text).toContain('119消防宣传日');
    expect(s.title).toContain('119消防宣传日');
    for (const t of s.topics) expect(['居家防火', '电动自行车', '紧急求助']).toContain(t);
  });

  it('talks about mountain fires at 清明', () => {
    const s = scripts.get('2027-04-05')!;
    expect(s.text).toContain('清明');
    expect(s.topics).toContain('森林防火');
  });

  it('draws on flood, drowning or heat entries every day of the summer holiday', () => {
    const summer = new Set(['暴雨洪涝', '地质灾害', '预警信号', '防溺水', '高温中暑']);
    for (const s of year2027.filter((x) => /^2027-0[78]/.test(x.date))) {
      expect(s.topics.some((t) => summer.has(t)), s.date).toBe(true);
    }
  });

  it('does not talk about fireworks in summer', () => {
    for (const s of year2027.filter((x) => /^2027-0[6-9]/.test(x.date))) expect(s.topics, s.date).not.toContain('烟花爆竹');
  });
});

describe('reproducible', () => {
  it('gives the identical script for the same date twice', () => {
    expect(generateScript({ date: '2027-08-01', content })).toEqual(generateScript({ date: '2027-08-01', content }));
  });

  it('does not depend on which dates were generated before (fresh load, one date)', () => {
    const fresh = loadContent(CONTENT_DIR);
    expect(generateScript({ date: '2027-06-01', content: fresh })).toEqual(scripts.get('2027-06-01'));
  });

  it('avoids entries the caller says were broadcast recently', () => {
    const usual = scripts.get('2027-03-02')!;
    const ids = usual.sources.map((s) => s.id);
    const s = generateScript({ date: '2027-03-02', content, history: [{ date: '2027-03-01', entryIds: ids }] });
    expect(s.sources.map((x) => x.id).filter((id) => ids.includes(id))).toEqual([]);
  });
});

describe('per town', () => {
  it('names the town and reads the same entries as the district', () => {
    const district = scripts.get('2027-07-01')!;
    const town = generateScript({ date: '2027-07-01', town: '龙兴', content });
    expect(town.text).toContain('龙兴镇');
    expect(town.text).toContain('各位乡亲');
    expect(town.title).toContain('龙兴镇');
    expect(town.sources).toEqual(district.sources);
    expect(district.text).toContain('渝北');
    expect(generateScript({ date: '2027-07-01', town: 'shuangfengqiao', content }).text).toContain('双凤桥街道');
  });

  it('refuses an unknown town with a Chinese message', () => {
    expect(() => generateScript({ date: '2027-07-01', town: '不存在镇', content })).toThrow(UserFacingError);
  });
});

describe('robust to thin or unusual content', () => {
  const entry = (over: Partial<KbEntry>): KbEntry => ({
    id: 'x', title: '标题？', questions: ['a', 'b', 'c'], tags: ['t'], topic: '居家防火', source: '来源', updated: '2026-11-01',
    answer: '回答。', file: 'x.md', ...over,
  });

  it('still builds a full script when the theme has no entries yet', () => {
    const fireOnly = content.kb.entries.filter((e) => e.topic === '居家防火');
    const s = generateScript({ date: '2027-07-20', content: { kb: { entries: fireOnly }, broadcast: content.broadcast } });
    expect(s.sources.length).toBeGreaterThanOrEqual(2);
    expect(s.chars).toBeGreaterThanOrEqual(450);
  });

  it('reads the short answer when an entry has no broadcast text, without list markers or links', () => {
    const answer = '1. **立即关火**，盖上锅盖。\n2. 千万不能用水浇，详见[指南](https://example.org/guide)。\n3. 油温超过200℃会冒烟。';
    const entries = Array.from({ length: 6 }, (_, i) => entry({ id: `e${i}`, title: `油锅起火${i}怎么办？`, answer }));
    const s = generateScript({ date: '2027-10-20', content: { kb: { entries }, broadcast: content.broadcast } });
    expect(s.text).toContain('立即关火，盖上锅盖。千万不能用水浇');
    for (const [what, re] of unreadable) expect(re.test(s.text), what).toBe(false);
    expect(s.text).toContain('200摄氏度');
  });

  it('escapes content in HTML and Markdown', () => {
    const evil = '<img src=x onerror=alert(1)>油锅起火 & 怎么办？';
    const entries = Array.from({ length: 6 }, (_, i) =>
      entry({ id: `e${i}`, title: `${evil}${i}`, source: 'A & B <b>', broadcast: '油锅起火千万不能用水浇，要马上关火，用锅盖盖住。'.repeat(2) }));
    const s = generateScript({ date: '2027-10-20', content: { kb: { entries }, broadcast: content.broadcast } });
    expect(s.html).not.toContain('<img');
    expect(s.html).not.toContain('<b>');
    expect(s.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(s.html).toContain('A &amp; B &lt;b&gt;');
    expect(s.markdown).toContain('\\<img');
    expect(s.markdown.startsWith(`# ${s.title.replace(/[()]/g, '\\$&')}`)).toBe(true);
  });
});
