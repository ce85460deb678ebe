-- Up Migration

-- Working-day calendar (domain brief §8, shared/calendar-az.md): the years whose non-working days
-- are loaded. A deadline is never computed across a year missing here (or not complete), rather
-- than silently treating its holidays as working days.
CREATE TABLE calendar_year (
  year        integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2200),
  complete    boolean NOT NULL DEFAULT false,
  source      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL DEFAULT 'migration'
);

-- Exceptions to the five-day week, one row per day: weekdays that are days off (holidays,
-- days off moved from a weekend under Labour Code 105.5/105.6, Cabinet swaps under 105.7,
-- election days) and weekend days that are working days. Saturdays and Sundays are days off
-- without a row; a holiday that falls on a weekend is recorded as the weekday it moves to.
-- Edited by operators (audited in audit_event, case_type 'calendar').
CREATE TABLE calendar_day (
  date         date PRIMARY KEY,
  year         integer GENERATED ALWAYS AS (EXTRACT(YEAR FROM date)::integer) STORED
               NOT NULL REFERENCES calendar_year (year),
  kind         text NOT NULL CHECK (kind IN ('holiday', 'transferred_day_off', 'election', 'other_day_off', 'working_weekend')),
  name_az      text NOT NULL CHECK (name_az <> ''),
  name_en      text NOT NULL CHECK (name_en <> ''),
  -- the legal source of the row, e.g. 'Labour Code 105.1', 'Cabinet decision No. 362 of 2 Dec 2025'
  source       text NOT NULL CHECK (source <> ''),
  -- true for projections still to be confirmed (all of 2027 until the Cabinet's December 2026 decision)
  provisional  boolean NOT NULL DEFAULT false,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  updated_by   text NOT NULL DEFAULT 'migration',
  -- only a Saturday or Sunday can be a working weekend day, and only a weekday needs a day-off row
  CONSTRAINT calendar_day_kind_matches_weekday CHECK ((kind = 'working_weekend') = (EXTRACT(ISODOW FROM date) >= 6))
);
CREATE INDEX calendar_day_year_idx ON calendar_day (year);

INSERT INTO calendar_year (year, complete, source) VALUES
  (2025, true, 'Labour Code Art. 105; Cabinet decision of 11 Dec 2024 (religious holidays); Cabinet decisions on transfers of days off; Ministry of Labour production calendar 2025 (239 working days)'),
  (2026, true, 'Labour Code Art. 105; Cabinet decision No. 362 of 2 Dec 2025 (religious holidays); Ministry of Labour production calendar 2026 (241 working days)'),
  (2027, true, 'Projection under Labour Code Art. 105 with estimated religious holidays; provisional until the Cabinet''s December 2026 decision');

-- 2025: 23 weekdays off; Sat 21 Jun 2025 a working day (Mon 10 Mar and Tue 1 Apr were working
-- days by a Cabinet swap, so they have no row).
INSERT INTO calendar_day (date, kind, name_az, name_en, source) VALUES
  ('2025-01-01', 'holiday', 'Yeni il bayramı', 'New Year', 'Labour Code 105.1'),
  ('2025-01-02', 'holiday', 'Yeni il bayramı', 'New Year', 'Labour Code 105.1'),
  ('2025-01-03', 'transferred_day_off', 'Köçürülmüş istirahət günü', 'Transferred day off', 'Cabinet decision on the transfer of days off (Labour Code 105.7); Ministry of Labour production calendar 2025'),
  ('2025-01-20', 'holiday', 'Ümumxalq hüzn günü', 'National Mourning Day', 'Labour Code 105.1'),
  ('2025-01-29', 'election', 'Bələdiyyə seçkiləri günü', 'Municipal elections', 'Labour Code Art. 105 (election day is a day off); municipal elections of 29 Jan 2025'),
  ('2025-03-20', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1'),
  ('2025-03-21', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1'),
  ('2025-03-24', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1'),
  ('2025-03-25', 'transferred_day_off', 'Novruz bayramı (22 mart şənbə gününün əvəzinə)', 'Novruz (in lieu of Sat 22 Mar)', 'Labour Code 105.5'),
  ('2025-03-26', 'transferred_day_off', 'Novruz bayramı (23 mart bazar gününün əvəzinə)', 'Novruz (in lieu of Sun 23 Mar)', 'Labour Code 105.5'),
  ('2025-03-27', 'transferred_day_off', 'Köçürülmüş istirahət günü', 'Transferred day off', 'Cabinet decision on the transfer of days off (Labour Code 105.7); Ministry of Labour production calendar 2025'),
  ('2025-03-28', 'transferred_day_off', 'Köçürülmüş istirahət günü', 'Transferred day off', 'Cabinet decision on the transfer of days off (Labour Code 105.7); Ministry of Labour production calendar 2025'),
  ('2025-03-31', 'holiday', 'Ramazan bayramı', 'Ramazan Bayram (Eid al-Fitr)', 'Cabinet decision of 11 Dec 2024 (Labour Code 105.1)'),
  ('2025-05-09', 'holiday', 'Faşizm üzərində qələbə günü', 'Victory over Fascism Day', 'Labour Code 105.1'),
  ('2025-05-28', 'holiday', 'Müstəqillik günü', 'Independence Day', 'Labour Code 105.1'),
  ('2025-06-06', 'holiday', 'Qurban bayramı', 'Qurban Bayram (Eid al-Adha)', 'Cabinet decision of 11 Dec 2024 (Labour Code 105.1)'),
  ('2025-06-09', 'transferred_day_off', 'Qurban bayramı (7 iyun şənbə gününün əvəzinə)', 'Qurban Bayram (in lieu of Sat 7 Jun)', 'Cabinet decision of 11 Dec 2024; Labour Code 105.5'),
  ('2025-06-16', 'transferred_day_off', 'Milli Qurtuluş günü (15 iyun bazar gününün əvəzinə)', 'National Salvation Day (in lieu of Sun 15 Jun)', 'Labour Code 105.5'),
  ('2025-06-26', 'holiday', 'Silahlı Qüvvələr günü', 'Armed Forces Day', 'Labour Code 105.1'),
  ('2025-06-27', 'transferred_day_off', 'Köçürülmüş istirahət günü', 'Transferred day off', 'Cabinet decision on the transfer of days off (Labour Code 105.7); Ministry of Labour production calendar 2025'),
  ('2025-11-10', 'transferred_day_off', 'Zəfər günü (8 noyabr şənbə gününün əvəzinə)', 'Victory Day (in lieu of Sat 8 Nov)', 'Labour Code 105.5'),
  ('2025-11-11', 'transferred_day_off', 'Dövlət Bayrağı günü (9 noyabr bazar gününün əvəzinə)', 'State Flag Day (in lieu of Sun 9 Nov)', 'Labour Code 105.5'),
  ('2025-12-31', 'holiday', 'Dünya azərbaycanlılarının həmrəyliyi günü', 'Day of Solidarity of World Azerbaijanis', 'Labour Code 105.1'),
  ('2025-06-21', 'working_weekend', 'İş günü (şənbə)', 'Working Saturday', 'Cabinet decision on the transfer of days off (Labour Code 105.7); Ministry of Labour production calendar 2025');

-- 2026: 20 weekdays off; no weekend working days. Ramazan 20–21 Mar coincides with Novruz and
-- Qurban 28 May with Independence Day (Labour Code 105.6).
INSERT INTO calendar_day (date, kind, name_az, name_en, source) VALUES
  ('2026-01-01', 'holiday', 'Yeni il bayramı', 'New Year', 'Labour Code 105.1'),
  ('2026-01-02', 'holiday', 'Yeni il bayramı', 'New Year', 'Labour Code 105.1'),
  ('2026-01-20', 'holiday', 'Ümumxalq hüzn günü', 'National Mourning Day', 'Labour Code 105.1'),
  ('2026-03-09', 'transferred_day_off', 'Qadınlar günü (8 mart bazar gününün əvəzinə)', 'International Women''s Day (in lieu of Sun 8 Mar)', 'Labour Code 105.5'),
  ('2026-03-20', 'holiday', 'Novruz bayramı; Ramazan bayramı', 'Novruz; Ramazan Bayram (Eid al-Fitr)', 'Labour Code 105.1; Cabinet decision No. 362 of 2 Dec 2025'),
  ('2026-03-23', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1'),
  ('2026-03-24', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1'),
  ('2026-03-25', 'transferred_day_off', 'Novruz bayramı (21 mart şənbə gününün əvəzinə)', 'Novruz (in lieu of Sat 21 Mar)', 'Labour Code 105.5'),
  ('2026-03-26', 'transferred_day_off', 'Novruz bayramı (22 mart bazar gününün əvəzinə)', 'Novruz (in lieu of Sun 22 Mar)', 'Labour Code 105.5'),
  ('2026-03-27', 'transferred_day_off', 'Ramazan bayramı (Novruzla üst-üstə düşdüyü üçün)', 'Ramazan Bayram (coinciding with Novruz)', 'Cabinet decision No. 362 of 2 Dec 2025; Labour Code 105.6'),
  ('2026-03-30', 'transferred_day_off', 'Ramazan bayramı (Novruzla üst-üstə düşdüyü üçün)', 'Ramazan Bayram (coinciding with Novruz)', 'Cabinet decision No. 362 of 2 Dec 2025; Labour Code 105.6'),
  ('2026-05-11', 'transferred_day_off', 'Faşizm üzərində qələbə günü (9 may şənbə gününün əvəzinə)', 'Victory over Fascism Day (in lieu of Sat 9 May)', 'Labour Code 105.5'),
  ('2026-05-27', 'holiday', 'Qurban bayramı', 'Qurban Bayram (Eid al-Adha)', 'Cabinet decision No. 362 of 2 Dec 2025'),
  ('2026-05-28', 'holiday', 'Müstəqillik günü; Qurban bayramı', 'Independence Day; Qurban Bayram (Eid al-Adha)', 'Labour Code 105.1; Cabinet decision No. 362 of 2 Dec 2025'),
  ('2026-05-29', 'transferred_day_off', 'Qurban bayramı (Müstəqillik günü ilə üst-üstə düşdüyü üçün)', 'Qurban Bayram (coinciding with Independence Day)', 'Cabinet decision No. 362 of 2 Dec 2025; Labour Code 105.6'),
  ('2026-06-15', 'holiday', 'Milli Qurtuluş günü', 'National Salvation Day', 'Labour Code 105.1'),
  ('2026-06-26', 'holiday', 'Silahlı Qüvvələr günü', 'Armed Forces Day', 'Labour Code 105.1'),
  ('2026-11-09', 'holiday', 'Dövlət Bayrağı günü', 'State Flag Day', 'Labour Code 105.1'),
  ('2026-11-10', 'transferred_day_off', 'Zəfər günü (8 noyabr bazar gününün əvəzinə)', 'Victory Day (in lieu of Sun 8 Nov)', 'Labour Code 105.5'),
  ('2026-12-31', 'holiday', 'Dünya azərbaycanlılarının həmrəyliyi günü', 'Day of Solidarity of World Azerbaijanis', 'Labour Code 105.1');

-- 2027: projection (20 weekdays off), every row provisional until the Cabinet's December 2026
-- decision sets the religious holidays and any transfers; operators confirm or correct them.
INSERT INTO calendar_day (date, kind, name_az, name_en, source, provisional) VALUES
  ('2027-01-01', 'holiday', 'Yeni il bayramı', 'New Year', 'Labour Code 105.1 (projection)', true),
  ('2027-01-04', 'transferred_day_off', 'Yeni il bayramı (2 yanvar şənbə gününün əvəzinə)', 'New Year (in lieu of Sat 2 Jan)', 'Labour Code 105.5 (projection)', true),
  ('2027-01-20', 'holiday', 'Ümumxalq hüzn günü', 'National Mourning Day', 'Labour Code 105.1 (projection)', true),
  ('2027-03-08', 'holiday', 'Qadınlar günü', 'International Women''s Day', 'Labour Code 105.1 (projection)', true),
  ('2027-03-09', 'holiday', 'Ramazan bayramı (təxmini)', 'Ramazan Bayram (Eid al-Fitr), estimated', 'Estimate; to be set by the Cabinet''s December 2026 decision (Labour Code 105.1)', true),
  ('2027-03-10', 'holiday', 'Ramazan bayramı (təxmini)', 'Ramazan Bayram (Eid al-Fitr), estimated', 'Estimate; to be set by the Cabinet''s December 2026 decision (Labour Code 105.1)', true),
  ('2027-03-22', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1 (projection)', true),
  ('2027-03-23', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1 (projection)', true),
  ('2027-03-24', 'holiday', 'Novruz bayramı', 'Novruz', 'Labour Code 105.1 (projection)', true),
  ('2027-03-25', 'transferred_day_off', 'Novruz bayramı (20 mart şənbə gününün əvəzinə)', 'Novruz (in lieu of Sat 20 Mar)', 'Labour Code 105.5 (projection)', true),
  ('2027-03-26', 'transferred_day_off', 'Novruz bayramı (21 mart bazar gününün əvəzinə)', 'Novruz (in lieu of Sun 21 Mar)', 'Labour Code 105.5 (projection)', true),
  ('2027-05-10', 'transferred_day_off', 'Faşizm üzərində qələbə günü (9 may bazar gününün əvəzinə)', 'Victory over Fascism Day (in lieu of Sun 9 May)', 'Labour Code 105.5 (projection)', true),
  ('2027-05-17', 'holiday', 'Qurban bayramı (təxmini)', 'Qurban Bayram (Eid al-Adha), estimated', 'Estimate; to be set by the Cabinet''s December 2026 decision (Labour Code 105.1)', true),
  ('2027-05-18', 'transferred_day_off', 'Qurban bayramı (16 may bazar gününün əvəzinə, təxmini)', 'Qurban Bayram (in lieu of Sun 16 May), estimated', 'Estimate; to be set by the Cabinet''s December 2026 decision (Labour Code 105.5)', true),
  ('2027-05-28', 'holiday', 'Müstəqillik günü', 'Independence Day', 'Labour Code 105.1 (projection)', true),
  ('2027-06-15', 'holiday', 'Milli Qurtuluş günü', 'National Salvation Day', 'Labour Code 105.1 (projection)', true),
  ('2027-06-28', 'transferred_day_off', 'Silahlı Qüvvələr günü (26 iyun şənbə gününün əvəzinə)', 'Armed Forces Day (in lieu of Sat 26 Jun)', 'Labour Code 105.5 (projection)', true),
  ('2027-11-08', 'holiday', 'Zəfər günü', 'Victory Day', 'Labour Code 105.1 (projection)', true),
  ('2027-11-09', 'holiday', 'Dövlət Bayrağı günü', 'State Flag Day', 'Labour Code 105.1 (projection)', true),
  ('2027-12-31', 'holiday', 'Dünya azərbaycanlılarının həmrəyliyi günü', 'Day of Solidarity of World Azerbaijanis', 'Labour Code 105.1 (projection)', true);

-- Legal periods of domain brief §2–§7, with their citations. configurable = the documents give
-- no number and the value is this project's default (kept here, editable, never in a timer).
-- Unit 'count' is a number of rounds, not a time period.
CREATE TABLE legal_period (
  code            text PRIMARY KEY,
  length          integer NOT NULL CHECK (length >= 0),
  unit            text NOT NULL CHECK (unit IN ('working_days', 'calendar_days', 'months', 'years', 'count')),
  citation        text NOT NULL,
  description_az  text NOT NULL,
  description_en  text NOT NULL,
  configurable    boolean NOT NULL DEFAULT false,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL DEFAULT 'migration'
);

INSERT INTO legal_period (code, length, unit, citation, description_az, description_en, configurable) VALUES
  -- §2 application review (electronic cabinet)
  ('draft-deletion', 10, 'calendar_days', '000 §2.2',
   'Təqdim edilməmiş müraciət (qaralama) 10 gündən sonra silinir.',
   'A started but unsubmitted application (draft) is deleted after 10 days.', false),
  ('application-review', 5, 'working_days', '003 §5.5',
   'Müraciətə qeydiyyata alındığı gündən 5 iş günü ərzində baxılır.',
   'The application is reviewed within 5 working days of its registration.', false),
  ('application-review-extension', 10, 'working_days', '003 §5.5',
   'Əlavə araşdırma tələb olunduqda baxılma müddəti 10 iş günü uzadılır və müraciət edən məlumatlandırılır.',
   'When further inquiry is needed the review is extended by 10 working days and the applicant is told.', false),
  ('bank-preliminary-approval-validity', 1, 'years', '003 §5.5-3',
   'Müvəkkil bankın ilkin təsdiqi 1 il qüvvədədir.',
   'A bank''s preliminary approval is valid for 1 year.', false),
  -- §3 discrepancy resubmission (e-cabinet application: no number in the documents)
  ('discrepancy-resubmission', 10, 'working_days', '000 §2.4 (period not fixed by the documents; configurable default)',
   'Uyğunsuzluğu aradan qaldırıb müraciəti yenidən təqdim etmək müddəti (konfiqurasiya edilə bilər).',
   'Period to remove a discrepancy and resubmit the e-cabinet application (configurable).', true),
  ('discrepancy-review', 5, 'working_days', '000 §2.4; default as 003 §5.5 (configurable)',
   'Yenidən təqdim edilmiş müraciətə baxılma müddəti (konfiqurasiya edilə bilər).',
   'Review period after a resubmission (configurable).', true),
  ('discrepancy-rounds', 2, 'count', '000 §2.4 (number not fixed by the documents; configurable default)',
   'İmtinadan əvvəl uyğunsuzluğun aradan qaldırılması üçün icazə verilən dövrlərin sayı (konfiqurasiya edilə bilər).',
   'Number of discrepancy rounds allowed before a refusal (configurable).', true),
  -- §3/§6 registration transfer (Decision No. 485)
  ('transfer-deficiency-notice', 1, 'working_days', '002 §2.5',
   'Aradan qaldırıla bilən çatışmazlıq aşkar edildiyi gündən 1 iş günü ərzində yazılı bildiriş verilir.',
   'Written notice within 1 working day of finding a correctable deficiency.', false),
  ('transfer-deficiency-fix', 7, 'working_days', '002 §2.5',
   'Nümayəndə bildirişi aldığı gündən 7 iş günü ərzində çatışmazlığı aradan qaldırır.',
   'The representative fixes the deficiency within 7 working days of receiving the notice.', false),
  ('transfer-decision', 30, 'working_days', '002 §2.6',
   'Sənədlər təqdim edildiyi gündən 30 iş günü ərzində uçotun ötürülməsi barədə qərar qəbul edilir.',
   'Decision on the registration transfer within 30 working days of the documents.', false),
  ('transfer-decision-copy', 3, 'working_days', '002 §2.6',
   'Qərarın surəti 3 iş günü ərzində şəxsən, poçtla və ya Mərkəz vasitəsilə verilir.',
   'A copy of the decision is given within 3 working days in person, by post or via the Centre.', false),
  ('transfer-application-window', 3, 'months', '002 §2.1',
   'Nümayəndə ölüm tarixindən 3 ay ərzində uçotun ötürülməsi üçün müraciət edir.',
   'The representative applies for the registration transfer within 3 months of the death.', false),
  -- §4 the housing waitlist (Housing Code, 004 model rules)
  ('waitlist-registration-decision', 30, 'working_days', 'Housing Code 51.5',
   'Uçota alınma barədə qərar sənədlər təqdim edildiyi gündən 30 iş günü ərzində qəbul edilir.',
   'Decision on waitlist registration within 30 working days of the documents.', false),
  ('waitlist-registration-document-delivery', 3, 'working_days', 'Housing Code 51.6',
   'Uçota alınmanı təsdiq edən sənəd 3 iş günü ərzində verilir.',
   'The document confirming the registration is delivered within 3 working days.', false),
  ('waitlist-refusal-delivery', 3, 'working_days', 'Housing Code 53.2',
   'Uçota alınmadan imtina barədə əsaslandırılmış qərar 3 iş günü ərzində verilir.',
   'The reasoned refusal of registration is delivered within 3 working days.', false),
  ('waitlist-worsening-bar', 5, 'years', 'Housing Code 52, 53.1.3',
   'Mənzil şəraitini qəsdən pisləşdirmiş şəxs bu hərəkətlərdən sonra 5 il ərzində uçota alınmır.',
   'A person who deliberately worsened their housing conditions is not registered for 5 years after.', false),
  ('refused-offer-bar', 1, 'years', '004 §37',
   'Təklif olunan yaşayış sahəsindən üzrsüz səbəbdən imtina edildikdə növbəti təklif 1 ildən tez olmayaraq edilir.',
   'After refusing an offered dwelling without good reason, the next offer comes no earlier than 1 year later.', false),
  ('records-books-retention', 10, 'years', '004 §17',
   'Uçot kitabları iş başa çatdıqdan sonra 10 il saxlanılır.',
   'Waitlist books are kept for 10 years after the case ends.', false),
  ('records-files-retention', 3, 'years', '004 §17',
   'Uçot işləri və siyahılar iş başa çatdıqdan sonra 3 il saxlanılır.',
   'Waitlist files and lists are kept for 3 years after the case ends.', false),
  -- §5 seizure of a waitlist slot
  ('seizure-decision', 30, 'working_days', 'Housing Code 55.2',
   'Uçotdan çıxarılma barədə qərar əsas müəyyən edildiyi gündən 30 iş günü ərzində qəbul edilir.',
   'Decision on removal from the waitlist within 30 working days of the ground being established.', false),
  ('seizure-decision-delivery', 3, 'working_days', 'Housing Code 55.2',
   'Uçotdan çıxarılma barədə qərar 3 iş günü ərzində şəxsə verilir.',
   'The removal decision is delivered to the person within 3 working days.', false),
  -- §7 apartment selection
  ('announcement-lead-time', 30, 'calendar_days', '003 §4.2',
   'Mənzillərin satışı barədə elan satışın başlanmasından ən azı 30 gün əvvəl dərc edilir.',
   'Apartments are announced at least 30 days before sales start (the earliest start is computed from the announcement).', false),
  ('selection-notice', 5, 'working_days', '003 §6.1',
   'Seçilmiş mənzil barədə bildiriş 5 iş günü ərzində göndərilir.',
   'Notice about the selected apartment within 5 working days.', false),
  ('selection-own-funds-contract', 15, 'working_days', '003 §6.2',
   'Öz vəsaiti hesabına alışda alqı-satqı müqaviləsi 15 iş günü ərzində bağlanılır.',
   'Own funds: the sale contract is signed within 15 working days.', false),
  ('selection-mortgage-bank-application', 10, 'working_days', '003 §6.3',
   'İpoteka krediti ilə alışda 10 iş günü ərzində müvəkkil banka müraciət edilir.',
   'Mortgage: the applicant applies to the agent bank within 10 working days.', false),
  ('selection-switch-to-own-funds', 3, 'working_days', '003 §6.5',
   'Bankın imtinasından sonra öz vəsaiti hesabına alışa keçmək üçün 3 iş günü verilir.',
   'After a bank refusal, 3 working days to switch to own funds.', false);

-- Down Migration
DROP TABLE legal_period;
DROP TABLE calendar_day;
DROP TABLE calendar_year;
