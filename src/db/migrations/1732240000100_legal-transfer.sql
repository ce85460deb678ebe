-- Up Migration

-- Issue #11, transfer and seizure (002 = Cabinet Decision No. 485; 001 = Housing Code).

-- A late application is a reviewer's reasoned decision on a ground of 002 §3.1 (no longer a
-- system refusal on 2.1 alone): 3.1.1 — the documents of 2.2, which go "with the application"
-- of 2.1, were not submitted within the 3 months from the death. It cannot be cured (3.4): the
-- period has passed.
UPDATE legal_ground
   SET citation = '002 §3.1.1, §2.1, §2.2',
       text_az  = 'Qaydanın 2.2-ci bəndində qeyd olunan sənədlər 2.1-ci bənddə müəyyən edilmiş müddətdə — uçota alınmış şəxsin vəfat etdiyi gündən 3 ay ərzində — təqdim edilməyib.',
       text_en  = 'The documents listed in point 2.2 were not submitted within the period of point 2.1 — 3 months from the death of the registered person.'
 WHERE code = 'refuse-transfer-late';

-- 002 §1.2.2: the registration is kept only for the persons registered as the deceased's family
-- members at the registration; the application is checked against the waitlist file's family.
INSERT INTO legal_ground (code, citation, decision, process, text_az, text_en) VALUES
  ('refuse-transfer-not-family-member', '002 §1.2.2, §1.2.1, §2.1', 'refuse', 'registration-transfer',
   'Təmsilçi uçota alınmış şəxs uçota alınarkən onun ailə üzvü kimi qeydiyyata alınmayıb; uçot yalnız həmin ailə üzvləri üçün saxlanılır.',
   'The representative was not registered as a family member of the registered person at the registration; the registration is kept only for those family members.');

-- Housing Code 55.3 in its current wording (Law No. 114-VIQD of 19 May 2020): when a registered
-- person WITH A DISABILITY dies, keeping the registration for the family follows the Law on the
-- rights of persons with disabilities. The 2011–2020 wording (war invalids) is superseded; the
-- evidence is the person's disability record, not a war-invalid certificate.
UPDATE transfer_variant
   SET code = 'disability',
       legal_source = 'Mənzil Məcəlləsi 55.3 (19.05.2020-ci il tarixli 114-VIQD nömrəli Qanunla verilmiş redaksiya); «Əlilliyi olan şəxslərin hüquqları haqqında» Qanun; 004 §20',
       documents = '[{"kind": "identity-documents", "point": "002 §2.2.1 (analogy)", "registry": "identity"},
                     {"kind": "representation-statement", "point": "002 §2.2.2 (analogy)", "when": "family-representative"},
                     {"kind": "representative-authority", "point": "002 §2.1 (analogy)", "when": "other-representative"},
                     {"kind": "death-certificate", "point": "002 §2.2.3 (analogy)", "registry": "civil-status"},
                     {"kind": "disability-record", "point": "Mənzil Məcəlləsi 55.3"}]',
       description_az = 'Uçota alınmış əlilliyi olan şəxs vəfat etdikdə uçotun ailə üzvləri üçün saxlanılması «Əlilliyi olan şəxslərin hüquqları haqqında» Qanuna uyğun olaraq müəyyən edilir (Mənzil Məcəlləsi 55.3).',
       description_en = 'When a registered person with a disability dies, keeping the registration for the family follows the Law on the rights of persons with disabilities (Housing Code 55.3).'
 WHERE code = 'war-invalid';
UPDATE waitlist_case SET details = jsonb_set(details, '{variant}', '"disability"')
 WHERE kind = 'transfer' AND details->>'variant' = 'war-invalid';

-- Down Migration
UPDATE waitlist_case SET details = jsonb_set(details, '{variant}', '"war-invalid"')
 WHERE kind = 'transfer' AND details->>'variant' = 'disability';
UPDATE transfer_variant
   SET code = 'war-invalid',
       legal_source = 'Mənzil Məcəlləsi 55.3 (2011–2020 redaksiyası: müharibə əlili); 004 §20',
       documents = '[{"kind": "identity-documents", "point": "002 §2.2.1 (analogy)", "registry": "identity"},
                     {"kind": "representation-statement", "point": "002 §2.2.2 (analogy)", "when": "family-representative"},
                     {"kind": "representative-authority", "point": "002 §2.1 (analogy)", "when": "other-representative"},
                     {"kind": "death-certificate", "point": "002 §2.2.3 (analogy)", "registry": "civil-status"},
                     {"kind": "war-invalid-certificate", "point": "Mənzil Məcəlləsi 55.3"}]',
       description_az = 'Uçotda olan müharibə əlili (əlilliyi olan şəxs) vəfat etdikdə uçot ailə üzvləri üçün saxlanılır.',
       description_en = 'When a registered war invalid (person with a disability) dies, the registration is kept for the family.'
 WHERE code = 'disability';
DELETE FROM legal_ground WHERE code = 'refuse-transfer-not-family-member';
UPDATE legal_ground
   SET citation = '002 §2.1',
       text_az  = 'Müraciət uçota alınmış şəxsin vəfat etdiyi gündən 3 ay keçdikdən sonra verilib.',
       text_en  = 'The application was made more than 3 months after the death of the registered person.'
 WHERE code = 'refuse-transfer-late';
