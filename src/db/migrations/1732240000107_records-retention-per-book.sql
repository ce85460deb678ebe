-- Up Migration

-- 004 §17: the books are kept 10 years, the files and lists 3 years AFTER ALL citizens written in
-- that book or list have been housed or removed — counted per book and per list, not per entry
-- (workers/apply-records-retention.ts). The periods themselves are unchanged; their texts said
-- "after the case ends".
UPDATE legal_period SET
  description_az = 'Uçot kitabı kitabda yazılmış bütün vətəndaşlar mənzillə təmin edildikdən və ya uçotdan çıxarıldıqdan sonra 10 il saxlanılır.',
  description_en = 'A waitlist book is kept for 10 years after every citizen written in it has been housed or removed.'
 WHERE code = 'records-books-retention';
UPDATE legal_period SET
  description_az = 'Uçot işləri və siyahılar siyahıda yazılmış bütün vətəndaşlar mənzillə təmin edildikdən və ya uçotdan çıxarıldıqdan sonra 3 il saxlanılır.',
  description_en = 'Waitlist files and lists are kept for 3 years after every citizen of the list has been housed or removed.'
 WHERE code = 'records-files-retention';

-- Down Migration
UPDATE legal_period SET
  description_az = 'Uçot kitabları iş başa çatdıqdan sonra 10 il saxlanılır.',
  description_en = 'Waitlist books are kept for 10 years after the case ends.'
 WHERE code = 'records-books-retention';
UPDATE legal_period SET
  description_az = 'Uçot işləri və siyahılar iş başa çatdıqdan sonra 3 il saxlanılır.',
  description_en = 'Waitlist files and lists are kept for 3 years after the case ends.'
 WHERE code = 'records-files-retention';
