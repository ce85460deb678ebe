-- Up Migration
-- A legal ground that fits only a certain state of the case, as data: the reviewer is offered it
-- only then (the decision itself is checked in src/cases/decision.ts).
-- 'discrepancy-lapsed': the case's discrepancy round went unanswered past its deadline — a refusal
-- then cites 000 §2.4 for the lapsed deadline with 003 §5.5 (migration 1732240000110);
-- 'no-discrepancy-lapsed': the plain category refusal (003 §5.5), which would hide a lapsed
-- deadline from the notice.
ALTER TABLE legal_ground ADD COLUMN applies_when text
  CHECK (applies_when IN ('discrepancy-lapsed', 'no-discrepancy-lapsed'));
UPDATE legal_ground SET applies_when = 'discrepancy-lapsed'
 WHERE code IN ('refuse-category-not-established-deadline-lapsed', 'refuse-documents-not-submitted');
UPDATE legal_ground SET applies_when = 'no-discrepancy-lapsed'
 WHERE code = 'refuse-not-in-category' AND process = 'application-review';

-- Down Migration
ALTER TABLE legal_ground DROP COLUMN applies_when;
