-- Up Migration

-- 003 §5.5-3, §5.6: a waiting holder with the mortgage payment method who becomes the applicant
-- (§5.7-2, §5.7-3) needs a preliminary approval under one year old at that moment. When theirs is
-- older, the time it was found so is kept here (the cabinet asks for a new approval or a switch to
-- own funds); a new valid approval in the cabinet clears it and becomes the selection's approval.
ALTER TABLE apartment_selection ADD COLUMN pre_approval_renewal_since timestamptz;

-- Down Migration
ALTER TABLE apartment_selection DROP COLUMN pre_approval_renewal_since;
