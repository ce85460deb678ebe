import type { LegalGround } from './legal-grounds.js';

/**
 * Legal grounds cited by the registry checks of application review (identity, civil status,
 * category evidence, property). Same shape as LEGAL_GROUNDS; the Azerbaijani texts follow the
 * wording of the seeds (000 §2.1.5 for the categories).
 */
export const ELIGIBILITY_GROUNDS = {
  IDENTITY_MATCHES_REGISTRY: {
    code: 'identity-matches-registry',
    citation: '003 §5.3.2; 000 §2.1.1',
    az: 'Müraciətdə göstərilən şəxsiyyət vəsiqəsinin seriyası, nömrəsi və verilmə tarixi şəxsiyyət vəsiqələri reyestrinin məlumatlarına uyğun olmalıdır.',
    en: 'The identity card series, number and issue date given in the application must match the identity registry.',
  },
  CIVIL_STATUS_MATCHES_REGISTRY: {
    code: 'civil-status-matches-registry',
    citation: '000 §2.1.1–2.1.4',
    az: 'Müraciətdə göstərilən ailə vəziyyəti və ər (arvad) barədə məlumatlar vətəndaşlıq vəziyyəti aktlarının qeydiyyatı məlumatlarına uyğun olmalıdır.',
    en: 'The marital status and the spouse given in the application must match the civil-status registry.',
  },
  YOUNG_FAMILY: {
    code: 'young-family',
    citation: '000 §2.1.5',
    az: '1–7-ci kateqoriyalar yalnız gənc ailənin üzvlərinə aiddir; himayəsində azı bir uşağı olan və yaşı 35-dən çox olmayan tək valideyn də bu kateqoriyaları seçə bilər və uşağın doğum haqqında şəhadətnaməsinin notarial qaydada təsdiq olunmuş surətini yükləməlidir.',
    en: 'Categories 1–7 are open only to members of a young family; a single parent aged 35 or less with at least one child in their care may also choose them and must upload a notarised copy of a child’s birth certificate.',
  },
  CATEGORY_1: {
    code: 'category-1-martyr-family',
    citation: '003 §2.1; 000 §2.1.5 (1)',
    az: 'Gənc ailənin üzvü – şəhid ailəsinin üzvü (əri/arvadı, övladları).',
    en: 'Member of a young family who is a member of a martyr’s family (spouse, children).',
  },
  CATEGORY_2: {
    code: 'category-2-national-hero-family',
    citation: '003 §2.1; 000 §2.1.5 (2)',
    az: 'Gənc ailənin üzvü – Milli Qəhrəman (özü, əri/arvadı, övladları).',
    en: 'Member of a young family who is a National Hero or a hero’s spouse or child.',
  },
  CATEGORY_3: {
    code: 'category-3-idp',
    citation: '003 §2.1; 000 §2.1.5 (3)',
    az: 'Gənc ailənin üzvü – məcburi köçkün və ya ona bərabər tutulan şəxs.',
    en: 'Member of a young family who is an internally displaced person or equivalent.',
  },
  CATEGORY_4: {
    code: 'category-4-civil-service-3y',
    citation: '003 §2.1; 000 §2.1.5 (4)',
    az: 'Gənc ailənin üzvü – ən azı 3 il dövlət qulluğunda qulluq edən, o cümlədən dövlət qulluğunun xüsusi növündə xidmət keçən şəxs.',
    en: 'Member of a young family with at least 3 years of civil service, including special civil service.',
  },
  CATEGORY_5: {
    code: 'category-5-state-school-teacher-5y',
    citation: '003 §2.1; 000 §2.1.5 (5)',
    az: 'Gənc ailənin üzvü – ən azı 5 il dövlət ümumtəhsil məktəbində müəllim işləyən şəxs.',
    en: 'Member of a young family who has taught at a state school for at least 5 years.',
  },
  CATEGORY_6: {
    code: 'category-6-phd',
    citation: '003 §2.1; 000 §2.1.5 (6)',
    az: 'Gənc ailənin üzvü – fəlsəfə doktoru elmi dərəcəsi olan şəxs.',
    en: 'Member of a young family who holds a PhD degree.',
  },
  CATEGORY_7: {
    code: 'category-7-sport',
    citation: '003 §2.1; 000 §2.1.5 (7)',
    az: 'Gənc ailənin üzvü – idman sahəsində xüsusi xidmətləri olan şəxs.',
    en: 'Member of a young family with special services in sport.',
  },
  CATEGORY_8: {
    code: 'category-8-doctor-of-sciences',
    citation: '003 §2.1; 000 §2.1.5 (8)',
    az: 'Elmlər doktoru elmi dərəcəsi olan şəxs.',
    en: 'Holder of a Doctor of Sciences degree.',
  },
  CATEGORY_9: {
    code: 'category-9-civil-service-15y',
    citation: '003 §2.1; 000 §2.1.5 (9)',
    az: 'Ən azı 15 il dövlət qulluğunda qulluq edən şəxs.',
    en: 'A person with at least 15 years of civil service.',
  },
  CATEGORY_10: {
    code: 'category-10-military-3y',
    citation: '003 §2.1; 000 §2.1.5 (10)',
    az: 'Ən azı 3 il hərbi xidmətdə olan (müddətli həqiqi hərbi xidmətdə olan hərbi qulluqçulardan başqa), həmçinin ehtiyata və istefaya buraxılmış Azərbaycan Respublikasının hərbi qulluqçuları.',
    en: 'Servicemen with at least 3 years of military service (conscripts excluded), including those in the reserve or retired.',
  },
  CATEGORY_11: {
    code: 'category-11-internal-affairs-3y',
    citation: '003 §2.1; 000 §2.1.5 (11)',
    az: 'Ən azı 3 il daxili işlər orqanlarında xidmət keçən xüsusi rütbəsi olan şəxs.',
    en: 'A person with a special rank who has served at least 3 years in the internal-affairs bodies.',
  },
  NO_CATEGORY: {
    code: 'no-category',
    citation: '003 §5.3.3; 003 §5.5',
    az: 'Müraciətdə güzəşt kateqoriyası göstərilməyib.',
    en: 'The application names no preferential category.',
  },
  PROPERTY_NOT_A_CONDITION: {
    code: 'property-not-a-condition',
    citation: '003 §2.1; 003 §2.2; 003 §5.5',
    az: 'Qaydada mənzilə mülkiyyət hüququnun olması güzəştli mənzil əldə etmək hüququna maneə kimi nəzərdə tutulmayıb: hüquq kateqoriyaya aidliklə (2.1) və bir dəfə istifadə ilə (2.2) müəyyən edilir, imtina yalnız kateqoriyaya aid olmadıqda verilir (5.5). Daşınmaz əmlak məlumatı baxış üçün qeyd olunur.',
    en: 'The MİDA rule does not make owning a dwelling a bar to the right: the right depends on the category (2.1) and on being used once (2.2), and refusal is only for not belonging to a category (5.5). The real-estate data is recorded for the reviewer.',
  },
} as const satisfies Record<string, LegalGround>;

export type CategoryNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11;

export const CATEGORY_GROUNDS: Record<CategoryNumber, LegalGround> = {
  1: ELIGIBILITY_GROUNDS.CATEGORY_1,
  2: ELIGIBILITY_GROUNDS.CATEGORY_2,
  3: ELIGIBILITY_GROUNDS.CATEGORY_3,
  4: ELIGIBILITY_GROUNDS.CATEGORY_4,
  5: ELIGIBILITY_GROUNDS.CATEGORY_5,
  6: ELIGIBILITY_GROUNDS.CATEGORY_6,
  7: ELIGIBILITY_GROUNDS.CATEGORY_7,
  8: ELIGIBILITY_GROUNDS.CATEGORY_8,
  9: ELIGIBILITY_GROUNDS.CATEGORY_9,
  10: ELIGIBILITY_GROUNDS.CATEGORY_10,
  11: ELIGIBILITY_GROUNDS.CATEGORY_11,
};
