-- Up Migration

-- Issue #11: review after a resubmission (000 §2.4 with 003 §5.5).
-- 003 §5.5 gives the review 5 working days and, when further inquiry is needed, 10 more; it
-- gives nothing longer. A discrepancy round is such an inquiry: the applicant's resubmission
-- and the review of what was resubmitted together must fit the 10 working days of the
-- extension. The re-review keeps the 5 working days of 003 §5.5, so the resubmission period
-- defaults to 10 - 5 = 5 working days (was 10, which with the re-review reached 15). Both stay
-- configurable; the README's legal section states this reading.
UPDATE legal_period
   SET length = 5,
       citation = '000 §2.4; 003 §5.5 (period not fixed by the documents; configurable default within the 10-working-day extension)',
       description_az = 'Uyğunsuzluğu aradan qaldırıb müraciəti yenidən təqdim etmək müddəti: yenidən baxılma ilə birlikdə 5.5-ci bəndin 10 iş günlük artırılmış müddətini keçmir (konfiqurasiya edilə bilər).',
       description_en = 'Period to remove a discrepancy and resubmit the e-cabinet application: with the re-review it stays within the 10-working-day extension of 003 §5.5 (configurable).',
       updated_at = now(), updated_by = 'migration 1732240000111'
 WHERE code = 'discrepancy-resubmission' AND length = 10;

-- The re-review period is counted from the resubmission (or from the lapse of its deadline, when
-- a reviewer decides on the file as it stands); its citation is what the notice shows.
UPDATE legal_period
   SET citation = '000 §2.4; 003 §5.5',
       description_az = 'Yenidən təqdim edilmiş (və ya müddətində təqdim edilməmiş) müraciətə baxılma müddəti: yenidən təqdim edildiyi (müddət bitdiyi) gündən 5 iş günü (konfiqurasiya edilə bilər).',
       description_en = 'Review period after a resubmission (or after its deadline lapsed): 5 working days from that day (configurable).',
       updated_at = now(), updated_by = 'migration 1732240000111'
 WHERE code = 'discrepancy-review';

-- Down Migration
UPDATE legal_period
   SET length = 10,
       citation = '000 §2.4 (period not fixed by the documents; configurable default)',
       description_az = 'Uyğunsuzluğu aradan qaldırıb müraciəti yenidən təqdim etmək müddəti (konfiqurasiya edilə bilər).',
       description_en = 'Period to remove a discrepancy and resubmit the e-cabinet application (configurable).'
 WHERE code = 'discrepancy-resubmission' AND length = 5;
UPDATE legal_period
   SET citation = '000 §2.4; default as 003 §5.5 (configurable)',
       description_az = 'Yenidən təqdim edilmiş müraciətə baxılma müddəti (konfiqurasiya edilə bilər).',
       description_en = 'Review period after a resubmission (configurable).'
 WHERE code = 'discrepancy-review';
