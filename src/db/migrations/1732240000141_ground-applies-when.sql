-- Up Migration
-- A legal ground that fits only a certain state of the case, as data: the reviewer is offered
-- (and may cite) it only then. 'discrepancy-lapsed': a discrepancy round went unanswered past its
-- deadline (000 §2.4; 002 §3.1.1, Housing Code 53.1.1: the documents were not submitted).
ALTER TABLE legal_ground ADD COLUMN applies_when text
  CHECK (applies_when IN ('discrepancy-lapsed'));
UPDATE legal_ground SET applies_when = 'discrepancy-lapsed' WHERE code = 'refuse-documents-not-submitted';

-- Down Migration
ALTER TABLE legal_ground DROP COLUMN applies_when;
