import { describe, expect, it } from '@jest/globals';
import { civilDateToLocal, localToCivilDate } from '../../src/web/dates.js';

describe('date filters in the screen language', () => {
  it('given an ISO date, then Azerbaijani shows dd.mm.yyyy and English dd/mm/yyyy', () => {
    expect(civilDateToLocal('2026-11-30', 'az')).toBe('30.11.2026');
    expect(civilDateToLocal('2026-11-30', 'en')).toBe('30/11/2026');
  });

  it('given a date typed as the language writes it, then the API gets the ISO date', () => {
    expect(localToCivilDate('30.11.2026')).toBe('2026-11-30');
    expect(localToCivilDate(' 1.2.2026 ')).toBe('2026-02-01');
    expect(localToCivilDate('30/11/2026')).toBe('2026-11-30');
    expect(localToCivilDate('2026-11-30')).toBe('2026-11-30');
  });

  it('given something that is no date, then it is passed on as typed (the API names the field)', () => {
    expect(localToCivilDate('yesterday')).toBe('yesterday');
  });
});
