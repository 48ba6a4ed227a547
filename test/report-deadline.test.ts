import { endOfShanghaiDay, isLate, shanghaiDate, shanghaiDay } from '../services/reports/src/services/deadline';

/** Report deadlines are Beijing days (Asia/Shanghai, UTC+8, no daylight saving). */
describe('report deadlines in Asia/Shanghai days', () => {
  it('a report due on 4月30日 is on time until 23:59:59.999 in Beijing (15:59:59.999Z)', () => {
    expect(new Date(endOfShanghaiDay('2024-04-30')).toISOString()).toBe('2024-04-30T15:59:59.999Z');
    expect(isLate('2024-04-30', new Date('2024-04-30T15:59:59.999Z'))).toBe(false);
    expect(isLate('2024-04-30', new Date('2024-04-30T16:00:00.000Z'))).toBe(true);
    // early morning of the due day in Beijing is still the day before in UTC: on time
    expect(isLate('2024-04-30', new Date('2024-04-29T17:00:00Z'))).toBe(false);
  });

  it('not submitted: late once the day has passed in Beijing, whatever the clock of the server', () => {
    expect(isLate('2024-04-30', null, Date.parse('2024-04-30T15:59:59Z'))).toBe(false);
    expect(isLate('2024-04-30', null, Date.parse('2024-04-30T16:00:01Z'))).toBe(true);
  });

  it('no due date is never late', () => {
    expect(isLate(null, null, Date.parse('2099-01-01T00:00:00Z'))).toBe(false);
    expect(isLate(null, new Date('2099-01-01T00:00:00Z'))).toBe(false);
  });

  it('writes the Beijing day of an instant, as the end of a document does', () => {
    expect(shanghaiDate(new Date('2024-04-29T16:30:00Z'))).toBe('2024年4月30日');
    expect(shanghaiDay(new Date('2024-04-29T16:30:00Z'))).toBe('2024-04-30');
    expect(shanghaiDay(new Date('2024-12-31T16:00:00Z'))).toBe('2025-01-01');
  });
});
