-- Up Migration

-- 003 §6.1: the notice on the selected apartment is due in the cabinet and by one more channel
-- the holder gave within 5 working days of the selection (legal_period 'selection-notice'). A
-- timer of the selection process at that instant checks the notice's delivery; when it is not
-- confirmed the selection is marked here (the MİDA officers' apartment list shows it) and a
-- notice_delivery row with the §6.1 period puts it on the operators' overdue deliveries list.
ALTER TABLE apartment_selection ADD COLUMN notice_overdue_at timestamptz;

-- Down Migration
ALTER TABLE apartment_selection DROP COLUMN notice_overdue_at;
