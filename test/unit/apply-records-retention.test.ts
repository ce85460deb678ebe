import { describe, expect, it } from '@jest/globals';
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import type { LegalPeriod } from '../../src/domain/legal-periods.js';
import { retentionOver } from '../../workers/apply-records-retention.js';

const calendar = new WorkingDayCalendar([
  {
    year: 2026,
    nonWorkingDays: ['2026-03-20', '2026-03-23', '2026-03-24', '2026-03-25', '2026-03-26'],
    workingWeekendDays: [],
  },
]);

const period = (code: string, length: number): LegalPeriod => ({
  code,
  length,
  unit: 'years',
  citation: '004 §17',
  descriptionAz: '',
  descriptionEn: '',
  configurable: false,
});
const files = period('records-files-retention', 3);
const books = period('records-books-retention', 10);

describe('records retention periods (004 §17), counted from the day the book or list closed', () => {
  it('given a list closed on Wed 4 Mar 2023, then its files are kept to the end of Wed 4 Mar 2026 and goes from the next day', () => {
    expect(retentionOver('2023-03-04', files, '2026-03-04', calendar)).toBe(false);
    expect(retentionOver('2023-03-04', files, '2026-03-05', calendar)).toBe(true);
  });

  it('given the 3 years end on a day off (Mon 23 Mar 2026, Novruz), then the file is kept to the next working day (§8)', () => {
    expect(retentionOver('2023-03-23', files, '2026-03-26', calendar)).toBe(false);
    expect(retentionOver('2023-03-23', files, '2026-03-27', calendar)).toBe(false); // Fri 27: last day
    expect(retentionOver('2023-03-23', files, '2026-03-28', calendar)).toBe(true);
  });

  it('given 10 years for the book, then a book closed 4 years ago keeps its lines', () => {
    expect(retentionOver('2022-06-01', books, '2026-06-02', calendar)).toBe(false);
    expect(retentionOver('2016-06-01', books, '2026-06-02', calendar)).toBe(true);
  });

  it('given the period ends in a year without calendar data, then the records are kept a month longer rather than a day too short', () => {
    // 1 Jun 2012 + 3 years = 1 Jun 2015 (no data for 2015): kept to 2 Jul 2015
    expect(retentionOver('2012-06-01', files, '2015-07-02', calendar)).toBe(false);
    expect(retentionOver('2012-06-01', files, '2015-07-03', calendar)).toBe(true);
    expect(retentionOver('2012-06-01', files, '2026-01-10', calendar)).toBe(true);
  });

  it('given a period in working days, then it is refused as a retention period', () => {
    expect(() =>
      retentionOver(
        '2026-01-05',
        { ...files, unit: 'working_days' },
        '2026-03-01',
        new WorkingDayCalendar([]),
      ),
    ).toThrow(/calendar units/);
  });
});
