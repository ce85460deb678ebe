-- Up Migration

-- Housing Code 55.2: a removal decision must refer to the cases of 55.1. The grounds that cited
-- only 004 §19(d) (a sentence of more than six months) and §19(v) (left the employer) are no
-- case of 55.1 (the Code prevails over the 1983 model rules), so no new decision may cite them.
-- Their rows stay, withdrawn: decisions and cases recorded on them before still read
-- (decision.legal_ground references this table; the case view joins it for the citation).
ALTER TABLE legal_ground ADD COLUMN IF NOT EXISTS withdrawn_at timestamptz;
ALTER TABLE legal_ground ADD COLUMN IF NOT EXISTS withdrawn_reason text;
UPDATE legal_ground
   SET withdrawn_at = now(),
       withdrawn_reason = 'Housing Code 55.2: a removal must refer to the cases of 55.1; 004 §19(d)/(v) alone are no such case.'
 WHERE code IN ('remove-sentence', 'remove-left-employer');

-- Art. 54: the right to stay registered is kept until a ground of Art. 55 is found. A case opened
-- on a fact that turns out to be no case of 55.1 (among them the cases opened before on a
-- sentence or on leaving the employer) is closed by retaining the place on this ground.
INSERT INTO legal_ground (code, citation, decision, process, text_az, text_en) VALUES
  ('retain-no-removal-ground', 'Mənzil Məcəlləsi 54, 55.1, 55.2', 'retain', 'waitlist-slot-seizure',
   'Müəyyən edilmiş hal Mənzil Məcəlləsinin 55.1-ci maddəsində nəzərdə tutulmuş hallardan deyil: uçotda olmaq hüququ saxlanılır.',
   'The fact established is none of the cases of Housing Code 55.1: the right to stay registered is kept.');

-- Housing Code 55.2 gives no period for the court appeal, so the system sets none: the
-- configurable "removal-appeal-period" (1 month) is gone; the removal takes effect when decided
-- and an appeal and its outcome are recorded whenever they arrive.
DELETE FROM legal_period WHERE code = 'removal-appeal-period';

-- Down Migration
INSERT INTO legal_period (code, length, unit, citation, description_az, description_en, configurable) VALUES
  ('removal-appeal-period', 1, 'months', 'Mənzil Məcəlləsi 55.2 (configurable)',
   'Uçotdan çıxarılma qərarından şikayət müddəti bitənədək növbə yeri saxlanılır.',
   'The slot is kept until the period for appealing the removal decision has passed.', true)
  ON CONFLICT (code) DO NOTHING;
DELETE FROM legal_ground WHERE code = 'retain-no-removal-ground'
  AND NOT EXISTS (SELECT 1 FROM decision WHERE legal_ground = 'retain-no-removal-ground');
ALTER TABLE legal_ground DROP COLUMN IF EXISTS withdrawn_reason;
ALTER TABLE legal_ground DROP COLUMN IF EXISTS withdrawn_at;
