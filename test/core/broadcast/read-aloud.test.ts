import { describe, expect, it } from 'vitest';
import { countChars, markdownToReadAloud, toReadAloud } from '../../../core/broadcast/read-aloud.ts';

describe('symbols become words a reader can say', () => {
  it.each([
    ['气温超过35℃要减少户外活动', '气温超过35摄氏度要减少户外活动'],
    ['湿度达到80%以上', '湿度达到百分之80以上'],
    ['车速不超过25公里/小时', '车速不超过25公里每小时'],
    ['每次充电3～5小时', '每次充电3到5小时'],
    ['拨打119/110', '拨打119或110'],
    ['🔥 着火了！⚠️', '着火了！'],
    ['详见[应急管理部](https://www.mem.gov.cn/)。', '详见应急管理部。'],
    ['油锅起火 千万不能 用水浇。', '油锅起火千万不能用水浇。'],
    ['**立即关火**', '立即关火'],
  ])('%s → %s', (input, expected) => expect(toReadAloud(input)).toBe(expected));

  it('leaves a phone number with an area code alone', () => {
    expect(toReadAloud('拨打023-12345678')).toBe('拨打023-12345678');
  });
});

describe('a Markdown answer as speech', () => {
  it('drops list numbers and keeps whole sentences within the limit', () => {
    const speech = markdownToReadAloud('1. 马上关火\n2. 用**锅盖**盖住\n3. 千万不能用水浇', 15);
    expect(speech).toBe('马上关火。用锅盖盖住。');
    expect(speech).not.toMatch(/\d\./);
  });

  it('counts spoken characters without whitespace', () => {
    expect(countChars('第一，关火。\n\n第二， 盖锅盖。')).toBe(13);
  });
});
