-- Up Migration

-- Registration transfer to family members (Cabinet Decision No. 485 of 20.11.2024, "002"; also
-- 004 §20 and Housing Code 55.3). The case itself is a waitlist_case of kind 'transfer'.

-- Decisions a reviewer (or the system) may take in the registration-transfer process.
INSERT INTO legal_ground (code, citation, decision, process, text_az, text_en) VALUES
  ('transfer-registration', '002 §2.6, §1.2.1', 'transfer', 'registration-transfer',
   'Təmsilçi uçota alınmış şəxsin əvəzinə uçota alınır; uçot işinin nömrəsi və növbədəki yeri saxlanılır.',
   'The representative is registered in place of the registered person; the file number and the place in the queue are kept.'),
  ('refuse-transfer-documents-missing', '002 §3.1.1, §2.2', 'refuse', 'registration-transfer',
   'Qaydanın 2.2-ci bəndində qeyd olunan sənədlər təqdim edilməyib (2.3-cü bənd nəzərə alınmaqla).',
   'The documents listed in point 2.2 were not submitted (point 2.3 taken into account).'),
  ('refuse-transfer-housing-sufficient', '002 §3.1.2; Mənzil Məcəlləsi 49.5', 'refuse', 'registration-transfer',
   'Ailə üzvlərinin sərəncamında olan yaşayış sahəsi uçot normasına əsasən ailə üçün kifayətdir.',
   'The housing the family members hold is sufficient for the family under the registration norm.'),
  ('refuse-transfer-unworthy-heir', '002 §3.1.3', 'refuse', 'registration-transfer',
   'Təmsilçi Mülki Məcəlləyə uyğun olaraq ləyaqətsiz vərəsə hesab edilir.',
   'The representative is an unworthy heir under the Civil Code.'),
  ('refuse-transfer-late', '002 §2.1', 'refuse', 'registration-transfer',
   'Müraciət uçota alınmış şəxsin vəfat etdiyi gündən 3 ay keçdikdən sonra verilib.',
   'The application was made more than 3 months after the death of the registered person.');

-- The variants of the same process, with their own rules as data: the legal source, whether the
-- 3-month window of 002 §2.1 applies (a legal_period code, or none), which events open it, whether
-- the joint consent of the adult members (annex 2) is required, and the documents. A document is
-- required always, or only `when` a condition holds; one a registry holds (`registry`) is fetched,
-- not asked for (002 §2.3).
CREATE TABLE transfer_variant (
  code              text PRIMARY KEY,
  legal_source      text NOT NULL,
  window_period     text REFERENCES legal_period (code),
  events            text[] NOT NULL,
  consent_required  boolean NOT NULL,
  documents         jsonb NOT NULL,
  description_az    text NOT NULL,
  description_en    text NOT NULL
);
INSERT INTO transfer_variant (code, legal_source, window_period, events, consent_required, documents, description_az, description_en) VALUES
  ('martyr-family', '002 (Nazirlər Kabinetinin 20.11.2024-cü il tarixli 485 nömrəli Qərarı)', 'transfer-application-window',
   ARRAY['death'], true,
   '[{"kind": "identity-documents", "point": "002 §2.2.1", "registry": "identity"},
     {"kind": "representation-statement", "point": "002 §2.2.2, əlavə 2", "when": "family-representative"},
     {"kind": "representative-authority", "point": "002 §2.1", "when": "other-representative"},
     {"kind": "death-certificate", "point": "002 §2.2.3", "registry": "civil-status"},
     {"kind": "later-martyr-status-certificate", "point": "002 §2.2.4", "when": "later-martyr-status"}]',
   'Uçota alınmış şəhid ailəsi üzvünün vəfatı və ya sonradan şəhid statusu verilməsi.',
   'A registered member of a martyr''s family died, or a registered person was later given martyr status.'),
  ('family-takeover', '004 §20', NULL,
   ARRAY['death', 'moved-away'], false,
   '[{"kind": "identity-documents", "point": "004 §20; 002 §2.2.1 (analogy)", "registry": "identity"},
     {"kind": "representative-authority", "point": "004 §20", "when": "other-representative"},
     {"kind": "death-certificate", "point": "004 §20", "registry": "civil-status", "when": "death"},
     {"kind": "residence-change-certificate", "point": "004 §20", "when": "moved-away"},
     {"kind": "family-composition-certificate", "point": "004 §20"}]',
   'Uçotda olan vətəndaş öldükdə və ya başqa daimi yaşayış yerinə getdikdə, ehtiyac qalırsa, ailə üzvlərindən biri onun əvəzinə uçota götürülür.',
   'When a registered person dies or moves away for good and the family''s need remains, a family member is registered in their place.'),
  ('war-invalid', 'Mənzil Məcəlləsi 55.3 (2011–2020 redaksiyası: müharibə əlili); 004 §20', NULL,
   ARRAY['death'], true,
   '[{"kind": "identity-documents", "point": "002 §2.2.1 (analogy)", "registry": "identity"},
     {"kind": "representation-statement", "point": "002 §2.2.2 (analogy)", "when": "family-representative"},
     {"kind": "representative-authority", "point": "002 §2.1 (analogy)", "when": "other-representative"},
     {"kind": "death-certificate", "point": "002 §2.2.3 (analogy)", "registry": "civil-status"},
     {"kind": "war-invalid-certificate", "point": "Mənzil Məcəlləsi 55.3"}]',
   'Uçotda olan müharibə əlili (əlilliyi olan şəxs) vəfat etdikdə uçot ailə üzvləri üçün saxlanılır.',
   'When a registered war invalid (person with a disability) dies, the registration is kept for the family.');

-- Annex 2: the family members of the deceased, who signed the representation statement, and the
-- representative (a family member, or a guardian, curator or attorney).
CREATE TABLE transfer_signatory (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id         uuid NOT NULL REFERENCES waitlist_case (id),
  fin             varchar(7),
  relation        text NOT NULL,
  birth_date      date,
  adult           boolean NOT NULL,
  representative  boolean NOT NULL DEFAULT false,
  signed          boolean NOT NULL DEFAULT false
);
CREATE INDEX transfer_signatory_case_idx ON transfer_signatory (case_id);

-- 002 §2.7: the documents of a granted transfer join the waitlist file opened at registration.
CREATE TABLE waitlist_file_document (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  entry_id    uuid NOT NULL REFERENCES waitlist_entry (id),
  case_id     uuid NOT NULL REFERENCES waitlist_case (id),
  kind        text NOT NULL,
  source      text NOT NULL CHECK (source IN ('applicant', 'registry')),
  added_at    timestamptz NOT NULL,
  UNIQUE (entry_id, case_id, kind)
);

-- At most one open transfer case per slot.
CREATE UNIQUE INDEX waitlist_case_open_transfer_idx ON waitlist_case (entry_id) WHERE kind = 'transfer' AND final_at IS NULL;

-- Down Migration
DROP INDEX waitlist_case_open_transfer_idx;
DROP TABLE waitlist_file_document;
DROP TABLE transfer_signatory;
DROP TABLE transfer_variant;
DELETE FROM legal_ground WHERE process = 'registration-transfer';
