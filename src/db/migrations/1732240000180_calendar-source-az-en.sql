-- Up Migration
-- The legal basis of each calendar day in both UI languages (issue 15): an Azerbaijani screen
-- shows source_az, an English one source_en, as with the day's name (name_az/name_en). The
-- seeded rows (migration 1732240000002, from shared/calendar-az.md: Labour Code Art. 105 and the
-- Cabinet's decisions) get the Azerbaijani wording of their English source. A row an operator
-- entered has one text only, in whichever language it was typed: it is kept in both columns for
-- an operator to correct.
ALTER TABLE calendar_day ADD COLUMN source_az text, ADD COLUMN source_en text;

UPDATE calendar_day d SET source_en = d.source, source_az = COALESCE(t.az, d.source)
  FROM calendar_day s LEFT JOIN (VALUES
    ('Labour Code 105.1',
     'Əmək Məcəlləsinin 105.1-ci maddəsi'),
    ('Labour Code 105.5',
     'Əmək Məcəlləsinin 105.5-ci maddəsi'),
    ('Cabinet decision on the transfer of days off (Labour Code 105.7); Ministry of Labour production calendar 2025',
     'Nazirlər Kabinetinin istirahət günlərinin köçürülməsi haqqında qərarı (Əmək Məcəlləsinin 105.7-ci maddəsi); Əmək və Əhalinin Sosial Müdafiəsi Nazirliyinin 2025-ci il üçün istehsalat təqvimi'),
    ('Labour Code Art. 105 (election day is a day off); municipal elections of 29 Jan 2025',
     'Əmək Məcəlləsinin 105-ci maddəsi (seçki günü istirahət günüdür); 29 yanvar 2025-ci il bələdiyyə seçkiləri'),
    ('Cabinet decision of 11 Dec 2024 (Labour Code 105.1)',
     'Nazirlər Kabinetinin 11 dekabr 2024-cü il tarixli qərarı (Əmək Məcəlləsinin 105.1-ci maddəsi)'),
    ('Cabinet decision of 11 Dec 2024; Labour Code 105.5',
     'Nazirlər Kabinetinin 11 dekabr 2024-cü il tarixli qərarı; Əmək Məcəlləsinin 105.5-ci maddəsi'),
    ('Labour Code 105.1; Cabinet decision No. 362 of 2 Dec 2025',
     'Əmək Məcəlləsinin 105.1-ci maddəsi; Nazirlər Kabinetinin 2 dekabr 2025-ci il tarixli 362 nömrəli qərarı'),
    ('Cabinet decision No. 362 of 2 Dec 2025; Labour Code 105.6',
     'Nazirlər Kabinetinin 2 dekabr 2025-ci il tarixli 362 nömrəli qərarı; Əmək Məcəlləsinin 105.6-cı maddəsi'),
    ('Cabinet decision No. 362 of 2 Dec 2025',
     'Nazirlər Kabinetinin 2 dekabr 2025-ci il tarixli 362 nömrəli qərarı'),
    ('Labour Code 105.1 (projection)',
     'Əmək Məcəlləsinin 105.1-ci maddəsi (proqnoz)'),
    ('Labour Code 105.5 (projection)',
     'Əmək Məcəlləsinin 105.5-ci maddəsi (proqnoz)'),
    ('Estimate; to be set by the Cabinet''s December 2026 decision (Labour Code 105.1)',
     'Təxmini; Nazirlər Kabinetinin 2026-cı ilin dekabrında qəbul edəcəyi qərarla müəyyən ediləcək (Əmək Məcəlləsinin 105.1-ci maddəsi)'),
    ('Estimate; to be set by the Cabinet''s December 2026 decision (Labour Code 105.5)',
     'Təxmini; Nazirlər Kabinetinin 2026-cı ilin dekabrında qəbul edəcəyi qərarla müəyyən ediləcək (Əmək Məcəlləsinin 105.5-ci maddəsi)')
  ) AS t (en, az) ON t.en = s.source
 WHERE s.date = d.date;

ALTER TABLE calendar_day
  ALTER COLUMN source_az SET NOT NULL,
  ALTER COLUMN source_en SET NOT NULL,
  ADD CONSTRAINT calendar_day_source_az_check CHECK (source_az <> ''),
  ADD CONSTRAINT calendar_day_source_en_check CHECK (source_en <> ''),
  DROP COLUMN source;

-- Down Migration
ALTER TABLE calendar_day ADD COLUMN source text;
UPDATE calendar_day SET source = source_en;
ALTER TABLE calendar_day ALTER COLUMN source SET NOT NULL,
  ADD CONSTRAINT calendar_day_source_check CHECK (source <> ''),
  DROP COLUMN source_az, DROP COLUMN source_en;
