-- Up Migration

-- 003 §5.5 gives the review 5 working days and, for further inquiry, one extension of 10 more.
-- A discrepancy round (000 §2.4) is that inquiry: resubmission (5) + re-review (5) fill the 10,
-- so a second round would run past the only extension the Rule allows. Default: one round.
-- Only the shipped default is changed; a value an operator configured stays.
UPDATE legal_period
   SET length = 1,
       citation = '000 §2.4 within 003 §5.5 (one 10-working-day extension: resubmission 5 + re-review 5)'
 WHERE code = 'discrepancy-rounds' AND length = 2;

-- Down Migration
UPDATE legal_period
   SET length = 2,
       citation = '000 §2.4 (number not fixed by the documents; configurable default)'
 WHERE code = 'discrepancy-rounds' AND length = 1;
