-- Up Migration

-- Issue #11 (item 6): the e-cabinet application (003 §5.5) knows one refusal: the applicant does
-- not belong to the category, by a reasoned decision. Two grounds cited other procedures:
-- "documents not submitted" (002 §3.1.1, the transfer procedure; Housing Code 53.1.1, the
-- waitlist) and "untrue data" (form-content points; 003 deals with distorted data only in 6.5.1
-- and 9.3, once a court has established it). They are withdrawn: kept for the decisions that
-- already cite them (a decision is never rewritten), no longer offered or accepted.
ALTER TABLE legal_ground ADD COLUMN IF NOT EXISTS withdrawn_at timestamptz;
ALTER TABLE legal_ground ADD COLUMN IF NOT EXISTS withdrawn_reason text;

UPDATE legal_ground
   SET withdrawn_at = now(),
       withdrawn_reason = 'Issue #11: cites the transfer (002 §3.1.1) and waitlist (Housing Code 53.1.1) procedures; 003 §5.5 knows only "not in the category".'
 WHERE code = 'refuse-documents-not-submitted' AND process = 'application-review';
UPDATE legal_ground
   SET withdrawn_at = now(),
       withdrawn_reason = 'Issue #11: 003 deals with distorted data only in 6.5.1 and 9.3, once a court established it; not a ground of 003 §5.5.'
 WHERE code = 'refuse-untrue-data' AND process = 'application-review';

-- An unanswered discrepancy leaves the file as it stands (000 §2.4): a reviewer decides on it
-- under 003 §5.5, and a refusal cites 000 §2.4 for the lapsed deadline.
INSERT INTO legal_ground (code, citation, decision, process, text_az, text_en) VALUES
  ('refuse-category-not-established-deadline-lapsed', '003 §5.5; 000 §2.4', 'refuse', 'application-review',
   'Uyğunsuzluq müəyyən edilmiş müddətdə aradan qaldırılmadığından müraciətə olduğu kimi baxılmış və müraciət edənin Qaydanın 2.1-ci bəndində nəzərdə tutulan kateqoriyaya aid olması müəyyən edilməmişdir.',
   'The discrepancy was not removed by the set date, so the application was reviewed as it stands, and the applicant''s belonging to a category of point 2.1 of the Rule was not established.');

-- Down Migration
DELETE FROM legal_ground WHERE code = 'refuse-category-not-established-deadline-lapsed';
UPDATE legal_ground SET withdrawn_at = NULL, withdrawn_reason = NULL
 WHERE code IN ('refuse-documents-not-submitted', 'refuse-untrue-data') AND process = 'application-review';
