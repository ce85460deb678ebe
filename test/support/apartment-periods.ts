import type { LegalPeriod } from '../../src/domain/legal-periods.js';

/** The 003 rows of legal_period as the migrations seed them (1732240000002, 1732240000130). */
const row = (
  code: string,
  length: number,
  unit: LegalPeriod['unit'],
  citation: string,
): LegalPeriod => ({
  code,
  length,
  unit,
  citation,
  descriptionAz: code,
  descriptionEn: code,
  configurable: false,
});

export const APARTMENT_PERIODS: LegalPeriod[] = [
  row('announcement-lead-time', 30, 'calendar_days', '003 §4.2'),
  row('bank-preliminary-approval-validity', 1, 'years', '003 §5.5-3'),
  row('selection-notice', 5, 'working_days', '003 §6.1'),
  row('selection-own-funds-contract', 15, 'working_days', '003 §6.2'),
  row('selection-mortgage-bank-application', 10, 'working_days', '003 §6.3'),
  row('selection-switch-to-own-funds', 3, 'working_days', '003 §6.5.2, §6.5.3'),
];
