import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import { reminderDate, reminderInstant } from '../../src/domain/reminder.js';

// 2026 with the Novruz block (20, 23–27, 30 March off) — enough data for these cases.
const calendar = new WorkingDayCalendar([
  {
    year: 2026,
    nonWorkingDays: [
      '2026-03-20',
      '2026-03-23',
      '2026-03-24',
      '2026-03-25',
      '2026-03-26',
      '2026-03-27',
      '2026-03-30',
    ],
    workingWeekendDays: [],
  },
]);

describe('discrepancy reminder day', () => {
  it('given a due date on Friday, when reminding 2 working days before, then it is Wednesday', () => {
    expect(reminderDate(calendar, '2026-04-01', '2026-04-10', 2)).toBe('2026-04-08');
  });
  it('given the holidays lie before the due date, then they are skipped when counting back', () => {
    // due Wed 1 Apr: back 2 working days → Tue 31 Mar (1), then Thu 19 Mar (2), skipping Novruz
    expect(reminderDate(calendar, '2026-03-10', '2026-04-01', 2)).toBe('2026-03-19');
  });
  it('given a period too short, then there is no reminder', () => {
    expect(reminderDate(calendar, '2026-04-07', '2026-04-08', 2)).toBeUndefined();
  });
  it('given a reminder day, then it is sent at 10:00 Baku time', () => {
    expect(reminderInstant('2026-04-08')).toBe('2026-04-08T10:00:00+04:00');
  });
});
