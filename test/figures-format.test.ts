import fc from 'fast-check';
import {
  figureNumber,
  figureParts,
  figurePhrase,
  formatCount,
  formatFigure,
  indicatorLabel,
  pairedPhrase,
  PAIRED_FIGURES,
  shanghaiDay,
  shanghaiTime,
  unstatedPhrase,
} from '../services/kernel/src/figures';

/**
 * Figures written as the 第八师 work summaries write them (seed 000, lines 1-47): no thousands
 * separators, 余 for "more than", large round figures in 万.
 */
describe('the seed summaries’ own figures', () => {
  it.each([
    ['PARTICIPANTS', 3600, true, '3600余人'], // 社会各界人士3600多人参加了开幕式
    ['DISPLAY_BOARDS', 130, true, '130余块'], // 展板130余块
    ['MATERIALS_DISTRIBUTED', 20000, true, '2万余份'], // 宣传单等2万余份
    ['MATERIALS_DISTRIBUTED', 30000, true, '3万余份'], // 有奖问答报纸3万余份
    ['MATERIALS_DISTRIBUTED', 40000, true, '4万余份'], // 宣传资料4万余份
    ['MATERIALS_DISTRIBUTED', 5000, true, '5000余份'], // 材料5000余份
    ['CONSULTATIONS', 800, true, '800余人次'], // 接受群众咨询800余人次
    ['ENFORCEMENT_OFFICERS', 1000, true, '1000余人次'], // 出动执法人员1000余人次
    ['BUSINESSES_INSPECTED', 3000, true, '3000余户次'], // 检查经营户3000余户次
    ['VISITORS', 20000, true, '2万余人次'], // 观展师生达到了2万多人: 多 is written 余
    ['VISITORS', 10000, true, '1万余人次'], // 观展人数达到了万人以上
    ['TRAINEES', 56, false, '56人'],
    ['ENTERPRISES_TRAINED', 15, false, '15家'],
    ['BANNERS', 25, false, '25条'], // 悬挂横幅25条
    ['CONSULTATION_POINTS', 6, false, '6个'], // 咨询服务点6个
    ['PUBLICITY_VEHICLES', 6, false, '6辆'], // 出动6辆宣传车
    ['MATERIALS_DISTRIBUTED', 65000, false, '6.5万份'],
  ])('%s %d (approximate: %s) → %s', (indicator, value, approximate, written) => {
    expect(formatFigure(indicator, value, approximate)).toBe(written);
  });

  it('states the training pair in one clause: 参加培训的15家企业共计56人', () => {
    const pair = PAIRED_FIGURES.find((p) => p.first === 'ENTERPRISES_TRAINED')!;
    expect(pairedPhrase(pair, { value: 15, approximate: false }, { value: 56, approximate: false })).toBe('参加培训的15家企业共计56人');
  });

  it.each([
    ['MATERIALS_DISTRIBUTED', 20000, true, '发放宣传资料2万余份'],
    ['CONSULTATIONS', 800, true, '接受群众咨询800余人次'],
    ['ENFORCEMENT_OFFICERS', 1000, true, '出动执法人员1000余人次'],
    ['BUSINESSES_INSPECTED', 3000, true, '检查经营户3000余户次'],
    ['DISPLAY_BOARDS', 130, true, '展出展板130余块'],
    ['VISITORS', 20000, true, '观展人次达到2万余人次'],
    ['BANNERS', 30, false, '悬挂横幅30条'],
    ['ENTERPRISES_ATTENDING', 35, false, '35家企业参加'], // 35家企业参加了会议
    ['UNITS_ATTENDING', 27, false, '27个单位参加'], // 27个单位的主要领导
  ])('the report clause of %s %d reads %s', (indicator, value, approximate, clause) => {
    expect(figurePhrase(indicator, value, approximate)).toBe(clause);
  });

  it('a figure nobody recorded reads （未统计）, never a blank: not "观展人次达到了人"', () => {
    expect(unstatedPhrase('VISITORS')).toBe('观展人次（未统计）');
  });
});

describe('numbers', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [56, '56'],
    [9999, '9999'],
    [10000, '1万'],
    [10500, '10500'], // not round: every digit is kept
    [11000, '1.1万'],
    [65000, '6.5万'],
    [120000, '12万'],
    [123000000, '12300万'], // round to 千, not to 千万: 万
    [100000000, '1亿'],
    [150000000, '1.5亿'],
    [1e9, '10亿'],
    [123456789, '123456789'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('%d → %s', (value, written) => {
    expect(figureNumber(value)).toBe(written);
  });

  it('approximate adds 余 after the number, before the unit; exact does not', () => {
    expect(formatCount(3600, true, '人')).toBe('3600余人');
    expect(formatCount(3600, false, '人')).toBe('3600人');
    expect(formatCount(0, false)).toBe('0');
    expect(formatCount(20000, true)).toBe('2万余');
    expect(figureParts('MATERIALS_DISTRIBUTED', 65000, true)).toEqual({ number: '6.5万', approx: '余', unit: '份' });
  });

  it('an unknown indicator has no unit and its name as label; `constructor` is not a table entry', () => {
    expect(formatFigure('NOT_AN_INDICATOR', 3600, true)).toBe('3600余');
    expect(figurePhrase('NOT_AN_INDICATOR', 12, false)).toBe('NOT_AN_INDICATOR12');
    expect(unstatedPhrase('NOT_AN_INDICATOR')).toBe('NOT_AN_INDICATOR（未统计）');
    expect(indicatorLabel('constructor')).toBeNull();
    expect(formatFigure('constructor', 5, false)).toBe('5');
    expect(formatFigure('__proto__', 5, false)).toBe('5');
  });

  it('what is not a count has no written form: it throws, it never prints NaN', () => {
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '5' as unknown as number, null as unknown as number]) {
      expect(() => formatCount(bad, false, '人')).toThrow(RangeError);
    }
  });

  it('every count reads back as itself, with no separator (property)', () => {
    const readBack = (text: string) =>
      text.endsWith('亿') ? Math.round(Number(text.slice(0, -1)) * 1e8) : text.endsWith('万') ? Math.round(Number(text.slice(0, -1)) * 1e4) : Number(text);
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.nat({ max: 9_000_000 }).map((k) => k * 1000), fc.nat({ max: 900_000 }).map((k) => k * 1e7), fc.maxSafeNat()), (value) => {
        const text = figureNumber(value);
        expect(text).toMatch(/^\d+(\.\d)?[万亿]?$/);
        expect(readBack(text)).toBe(value);
      }),
    );
  });
});

describe('Asia/Shanghai days', () => {
  it('writes the day in Beijing time, whatever the machine’s zone', () => {
    expect(shanghaiDay('2024-04-19T16:00:00Z')).toBe('4月20日');
    expect(shanghaiDay('2024-04-20T15:59:59Z')).toBe('4月20日');
    expect(shanghaiTime('2024-04-20T01:00:00Z')).toBe('4月20日 09:00');
  });

  it('a value that is not a date writes nothing rather than NaN', () => {
    expect(shanghaiDay('not a date')).toBe('');
    expect(shanghaiTime('')).toBe('');
  });
});
