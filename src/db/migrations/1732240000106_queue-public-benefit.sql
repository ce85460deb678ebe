-- Up Migration

-- 004 §22: "Uçota götürülmə tarixi eyni olduqda mənzilə ehtiyac dərəcəsi, həmin müəssisədə,
-- idarədə, təşkilatda iş stajı və ictimai faydalı fəaliyyət nəzərə alınır" — with the same
-- registration date, the degree of need, the seniority AND public-benefit activity are taken into
-- account. The order keeps the seed's sequence: need (higher first), seniority (earlier first),
-- then public-benefit activity (a degree 0–10 the body records, higher first; 0 = none), then the
-- id. The queue key of migration 1732240000021 gains the column before the id.
ALTER TABLE waitlist_entry
  ADD COLUMN public_benefit smallint NOT NULL DEFAULT 0 CHECK (public_benefit BETWEEN 0 AND 10),
  ADD COLUMN neg_public_benefit smallint GENERATED ALWAYS AS (-public_benefit) STORED;

DROP INDEX waitlist_entry_queue_idx;
CREATE INDEX waitlist_entry_queue_idx
  ON waitlist_entry (waitlist_id, registration_date, neg_need, seniority_sort, neg_public_benefit, id)
  WHERE status IN ('active', 'held');

-- Down Migration
DROP INDEX waitlist_entry_queue_idx;
CREATE INDEX waitlist_entry_queue_idx
  ON waitlist_entry (waitlist_id, registration_date, neg_need, seniority_sort, id)
  WHERE status IN ('active', 'held');
ALTER TABLE waitlist_entry DROP COLUMN neg_public_benefit, DROP COLUMN public_benefit;
