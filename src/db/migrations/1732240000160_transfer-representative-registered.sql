-- Up Migration

-- 004 §10: when several members of a family have the right to stand on the waitlist, only one of
-- them is registered. A representative who already holds a place on the same list cannot also
-- take the deceased's place (it would give the family two registered members, and the person two
-- places); the transfer is refused with reasons (002 §3.2) and the representative keeps their own
-- place. Before this ground the grant was accepted and its step failed into an incident.
INSERT INTO legal_ground (code, citation, decision, process, text_az, text_en) VALUES
  ('refuse-transfer-representative-registered', '004 §10; 002 §3.2', 'refuse', 'registration-transfer',
   'Təmsilçi həmin uçot siyahısında artıq özü uçotdadır; ailə üzvlərindən yalnız biri uçota götürülür (Nümunəvi Qaydaların 10-cu bəndi). Təmsilçi öz növbəsini saxlayır.',
   'The representative already holds a place on the same list; only one member of a family is registered (model rules, point 10). The representative keeps their own place.');

-- Down Migration
DELETE FROM legal_ground WHERE code = 'refuse-transfer-representative-registered';
