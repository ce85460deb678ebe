import type { PoolClient } from '../db/pool.js';
import { addToCivilDate } from '../domain/calendar.js';
import { worseningBar } from '../domain/housing-need.js';
import { CaseError } from './errors.js';
import type { DecisionInput } from './decision.js';

/** The refusal ground of 53.1.3 (the period of Art. 52 has not ended). */
export const WORSENING_BAR_GROUND = 'refuse-registration-worsened-housing';

/**
 * Rules a waitlist-registration decision must meet on the day it is taken. Housing Code 52:
 * after deliberately worsening one's housing a citizen is registered "no earlier than five years
 * from the day of those acts", and 53.1.3 refuses registration while that period "has not
 * ended" — so the bar is measured at the DECISION's date, not at the day the documents came in.
 * A decision on or after the bar's end may register; one before it may not, and a 53.1.3 refusal
 * is only possible before it.
 */
export async function checkRegistrationDecision(
  tx: PoolClient,
  caseId: string,
  input: Pick<DecisionInput, 'outcome' | 'legalGround'>,
  decisionDate: string,
): Promise<void> {
  if (input.outcome !== 'register' && input.legalGround !== WORSENING_BAR_GROUND) return;
  const { rows } = await tx.query<{ worsened_on: string | null; years: number }>(
    `SELECT c.details->>'worsenedHousingOn' AS worsened_on,
            (SELECT length FROM legal_period WHERE code = 'waitlist-worsening-bar') AS years
       FROM waitlist_case c WHERE c.id = $1`,
    [caseId],
  );
  const row = rows[0];
  if (!row) return;
  if (row.worsened_on && row.years == null)
    throw new Error("legal period 'waitlist-worsening-bar' is missing");
  const barEnds = row.worsened_on
    ? addToCivilDate(row.worsened_on, { years: Number(row.years) })
    : null;
  const bar = worseningBar(row.worsened_on, barEnds, decisionDate);
  if (input.outcome === 'register' && bar.barred) {
    throw new CaseError(
      'conflict',
      `Housing Code 52: not registered before ${bar.until} (5 years after deliberately worsening the housing); refuse on 53.1.3 or decide from that day`,
      [{ field: 'outcome', message: `barred until ${bar.until} (52, 53.1.3)` }],
    );
  }
  if (input.legalGround === WORSENING_BAR_GROUND && !bar.barred) {
    throw new CaseError(
      'invalid',
      bar.until
        ? `Housing Code 53.1.3: the period of Art. 52 ended on ${bar.until}, before this decision`
        : 'Housing Code 53.1.3: the case records no deliberate worsening of the housing',
      [
        {
          field: 'legalGround',
          message: 'the period of Art. 52 is not running on the decision date',
        },
      ],
    );
  }
}
