-- Up Migration

-- Waitlist cases: a registration application (51.4–51.6), a seizure of a slot (55.1–55.2), or a
-- registration transfer (002). The decision and review task tables serve every kind of case.
CREATE TABLE waitlist_case (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind                  text NOT NULL CHECK (kind IN ('registration', 'seizure', 'transfer')),
  body_code             text NOT NULL REFERENCES registering_body (code),
  entry_id              uuid REFERENCES waitlist_entry (id),
  applicant_fin         varchar(7),
  list_kind             text CHECK (list_kind IN ('general', 'first-turn', 'out-of-turn')),
  details               jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- 51.4: the receipt lists the documents accepted and the date
  documents             jsonb NOT NULL DEFAULT '[]'::jsonb,
  documents_received_on date,
  -- seizure: the 55.1 ground, where it came from, when it was established (55.2 counts from it)
  ground                text,
  source                text CHECK (source IN ('registry', 'person', 'reviewer', 'reverification')),
  established_on        date,
  event_id              text,
  status                text NOT NULL DEFAULT 'open',
  decision_due_at       timestamptz,
  process_instance_key  text,
  outcome               text,
  decided_at            timestamptz,
  final_at              timestamptz,
  opened_at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX waitlist_case_entry_idx ON waitlist_case (entry_id);
-- At most one open seizure case per slot: a second ground joins the open case's file.
CREATE UNIQUE INDEX waitlist_case_open_seizure_idx ON waitlist_case (entry_id) WHERE kind = 'seizure' AND final_at IS NULL;

ALTER TABLE review_task ADD COLUMN case_type text NOT NULL DEFAULT 'application';
ALTER TABLE review_task ADD COLUMN case_id uuid;
UPDATE review_task SET case_id = application_id;
ALTER TABLE review_task ALTER COLUMN case_id SET NOT NULL;
ALTER TABLE review_task ALTER COLUMN application_id DROP NOT NULL;

ALTER TABLE decision ADD COLUMN case_type text NOT NULL DEFAULT 'application';
ALTER TABLE decision ADD COLUMN case_id uuid;
UPDATE decision SET case_id = application_id;
ALTER TABLE decision ALTER COLUMN case_id SET NOT NULL;
ALTER TABLE decision ALTER COLUMN application_id DROP NOT NULL;

ALTER TABLE legal_ground DROP CONSTRAINT legal_ground_decision_check;
ALTER TABLE legal_ground ADD CONSTRAINT legal_ground_decision_check
  CHECK (decision IN ('grant', 'refuse', 'discrepancy', 'extend', 'register', 'remove', 'retain', 'transfer'));

INSERT INTO legal_ground (code, citation, decision, process, text_az, text_en) VALUES
  ('register-need-confirmed', 'Mənzil Məcəlləsi 51.5, 50.1', 'register', 'waitlist-registration',
   'Yaşayış sahəsinə ehtiyac təsdiq edilib; vətəndaş uçota alınır.',
   'The need for housing is confirmed; the citizen is registered on the waitlist.'),
  ('refuse-registration-documents-missing', 'Mənzil Məcəlləsi 53.1.1', 'refuse', 'waitlist-registration',
   'Məcəllənin 51.4-cü maddəsində nəzərdə tutulmuş sənədlər təqdim edilməyib.',
   'The documents required by Article 51.4 were not submitted.'),
  ('refuse-registration-no-right', 'Mənzil Məcəlləsi 53.1.2', 'refuse', 'waitlist-registration',
   'Təqdim edilmiş sənədlər uçota durmaq hüququnu təsdiq etmir.',
   'The documents submitted do not prove the right to be registered.'),
  ('refuse-registration-worsened-housing', 'Mənzil Məcəlləsi 53.1.3, 52', 'refuse', 'waitlist-registration',
   'Yaşayış şəraitinin qəsdən pisləşdirilməsindən sonra Məcəllənin 52-ci maddəsində nəzərdə tutulmuş müddət bitməyib.',
   'The period of Article 52 after deliberately worsening one''s housing has not ended.'),
  ('remove-own-request', 'Mənzil Məcəlləsi 55.1.1', 'remove', 'waitlist-slot-seizure',
   'Vətəndaş uçotdan çıxmaq barədə ərizə verib.', 'The citizen asked to be removed from the waitlist.'),
  ('remove-need-ceased', 'Mənzil Məcəlləsi 55.1.2; 004 §19(a)', 'remove', 'waitlist-slot-seizure',
   'Yaşayış sahəsi əldə etmək hüququ yaradan əsaslar aradan qalxıb.', 'The grounds for the need have ceased.'),
  ('remove-moved-away', 'Mənzil Məcəlləsi 55.1.3; 004 §19(b)', 'remove', 'waitlist-slot-seizure',
   'Vətəndaş digər inzibati ərazi vahidində yaşamağa köçüb.', 'The citizen moved to another administrative unit.'),
  ('remove-preferential-mortgage', 'Mənzil Məcəlləsi 55.1.4', 'remove', 'waitlist-slot-seizure',
   'Yaşayış sahəsi əldə etmək üçün güzəştli ipoteka krediti verilib.', 'A preferential mortgage was granted to acquire a dwelling.'),
  ('remove-land-plot', 'Mənzil Məcəlləsi 55.1.5', 'remove', 'waitlist-slot-seizure',
   'Yaşayış sahəsinin tikintisi üçün torpaq sahəsi verilib.', 'A land plot for building a dwelling was granted.'),
  ('remove-untrue-data', 'Mənzil Məcəlləsi 55.1.6; 004 §19(q)', 'remove', 'waitlist-slot-seizure',
   'Uçota alınmaq üçün əsas olmuş həqiqətə uyğun olmayan məlumatlar aşkar edilib.', 'Untrue data that led to the registration was found.'),
  ('remove-death', 'Mənzil Məcəlləsi 55.1.7', 'remove', 'waitlist-slot-seizure',
   'Uçotda olan vətəndaş vəfat edib.', 'The registered citizen died.'),
  ('remove-sentence', '004 §19(d)', 'remove', 'waitlist-slot-seizure',
   'Altı aydan çox müddətə azadlıqdan məhrum edilməyə məhkum edilib.', 'Sentenced to deprivation of liberty for more than six months.'),
  ('remove-left-employer', '004 §19(v)', 'remove', 'waitlist-slot-seizure',
   'İş yerində uçotda olan vətəndaş əmək müqaviləsini pozub (seçkili vəzifə, qocalıq və ya əlillik pensiyası istisna olmaqla).',
   'Registered at the work place, the citizen left the employer (other than for an elected office or an old-age or disability pension).'),
  ('retain-temporary-absence', '004 §20(a); Mənzil Məcəlləsi 54', 'retain', 'waitlist-slot-seizure',
   'Müvəqqəti olaraq başqa yerə gedib: uçotda olmaq hüququ saxlanılır.', 'Temporarily absent: the right to stay registered is kept.'),
  ('retain-elected-office', '004 §20(b)', 'retain', 'waitlist-slot-seizure',
   'Seçkili vəzifəyə keçib: hüquq saxlanılır.', 'Moved to an elected office: the right is kept.'),
  ('retain-pension', '004 §20(v)', 'retain', 'waitlist-slot-seizure',
   'Qocalığa və ya əlilliyə görə pensiyaya çıxıb: hüquq saxlanılır.', 'Retired on an old-age or disability pension: the right is kept.'),
  ('retain-service-housing', '004 §20(q)', 'retain', 'waitlist-slot-seizure',
   'Uçota alındıqdan sonra xidməti yaşayış sahəsi və ya yataqxana verilib: hüquq saxlanılır.', 'Given service housing or a dormitory after registration: the right is kept.'),
  ('retain-family-need-remains', '004 §20; Mənzil Məcəlləsi 54', 'retain', 'waitlist-slot-seizure',
   'Ailə başçısını itirmiş ailənin ehtiyacı qalır: ailə uçotdan çıxarıla bilməz.', 'The family that lost its registered head still needs housing: it cannot be removed.');

-- The documents set no number for how long a removal decision can be appealed before the slot
-- is released (55.2: appealable in court), so it is a configurable default.
INSERT INTO legal_period (code, length, unit, citation, description_az, description_en, configurable) VALUES
  ('removal-appeal-period', 1, 'months', 'Mənzil Məcəlləsi 55.2 (configurable)',
   'Uçotdan çıxarılma qərarından şikayət müddəti bitənədək növbə yeri saxlanılır.',
   'The slot is kept until the period for appealing the removal decision has passed.', true);

-- Down Migration
DELETE FROM legal_period WHERE code = 'removal-appeal-period';
DELETE FROM legal_ground WHERE process IN ('waitlist-registration', 'waitlist-slot-seizure');
ALTER TABLE decision DROP COLUMN case_id;
ALTER TABLE decision DROP COLUMN case_type;
ALTER TABLE review_task DROP COLUMN case_id;
ALTER TABLE review_task DROP COLUMN case_type;
DROP TABLE waitlist_case;
