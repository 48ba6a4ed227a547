import { Task } from '../services/campaigns/src/entities';
import { taskStatus } from '../services/campaigns/src/services/activity-service';

/**
 * A task's status on its own: OVERDUE from the first instant of the day after its due day in
 * Asia/Shanghai (UTC+8, no daylight saving), whatever the server's own time zone. The clock is
 * jest's fake one (taskStatus reads `new Date()` by default), set to each instant in turn.
 */
const task = (dueOn: string | null, doneAt: Date | null = null) => Object.assign(new Task(), { id: 1, title: '发放宣传册', dueOn, doneAt });
const at = (iso: string) => jest.setSystemTime(new Date(iso));

const zoneBefore = process.env.TZ;
beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  jest.useRealTimers();
  process.env.TZ = zoneBefore;
});

describe.each(['UTC', 'Asia/Shanghai', 'America/Los_Angeles', 'Pacific/Kiritimati'])('on a server in %s', (zone) => {
  beforeEach(() => {
    process.env.TZ = zone; // Node applies a changed TZ to Dates made afterwards
  });

  it('OPEN through the last second of the due day in Shanghai, OVERDUE from its midnight', () => {
    const due = task('2024-04-26');
    at('2024-04-25T16:00:00Z'); // 04-26 00:00 in Shanghai
    expect(taskStatus(due)).toBe('OPEN');
    at('2024-04-26T15:59:59.999Z'); // 04-26 23:59:59.999 in Shanghai
    expect(taskStatus(due)).toBe('OPEN');
    at('2024-04-26T16:00:00Z'); // 04-27 00:00 in Shanghai, still 04-26 in UTC and west of it
    expect(taskStatus(due)).toBe('OVERDUE');
  });

  it('a day ahead of UTC in the morning: due yesterday in Shanghai is already OVERDUE', () => {
    at('2024-12-31T17:30:00Z'); // 2025-01-01 01:30 in Shanghai
    expect(taskStatus(task('2024-12-31'))).toBe('OVERDUE');
    expect(taskStatus(task('2025-01-01'))).toBe('OPEN');
  });

  it('DONE wins over a passed due day; no due day is never OVERDUE', () => {
    at('2030-01-01T00:00:00Z');
    expect(taskStatus(task('2024-04-26', new Date('2024-04-28T00:00:00Z')))).toBe('DONE');
    expect(taskStatus(task(null))).toBe('OPEN');
  });
});

it('an explicit instant is used instead of the clock', () => {
  at('2024-01-01T00:00:00Z');
  expect(taskStatus(task('2024-04-26'), new Date('2024-04-26T16:00:00Z'))).toBe('OVERDUE');
  expect(taskStatus(task('2024-04-26'))).toBe('OPEN');
});
