// Texts of MİDA's apartment-phase screens (namespace "mida"); the same keys in both languages.
const az = {
  title: 'Mənzillər barədə elanlar',
  announcements: {
    caption: 'Elanlar',
    address: 'Binanın ünvanı',
    status: 'Vəziyyət',
    selection: 'Seçim müddəti',
    counts: 'Boş / seçilib / satılıb / azad edilib',
    open: 'Mənzillərə bax',
    empty: 'Elan yoxdur',
  },
  statuses: {
    draft: 'qaralama',
    checking: 'yoxlanılır',
    refused: 'rədd edilib',
    published: 'dərc edilib',
    open: 'seçim açıqdır',
    closed: 'seçim bitib',
  },
  apartments: {
    caption: 'Mənzillər',
    number: 'Mənzil',
    rooms: 'Otaq',
    floor: 'Mərtəbə',
    price: 'Qiymət (AZN)',
    state: 'Vəziyyət',
    deadline: 'Növbəti müddət',
    actions: 'Qərar',
  },
  states: {
    free: 'boş',
    selected: 'seçilib',
    sold: 'satılıb',
    released: 'növbəti elana',
    waiting: 'gözləmə: {{n}}',
  },
  cancel: {
    title: 'Seçimin ləğvi: mənzil {{number}}',
    ground: 'Əsas',
    reason: 'Əsaslandırma',
    submit: 'Seçimi ləğv et',
    done: 'Seçim ləğv edildi ({{ground}})',
  },
  grounds: {
    'not-satisfied': 'Ərizə təmin edilməyib (5.9)',
    'grant-revoked': 'Təmin etmə qərarı ləğv edilib (5.9)',
    'holder-refused': 'Ərizəçi imtina edib (5.9)',
    'distortion-court': 'Məhkəmə təhrif müəyyən edib (6.5.1)',
  },
};

const en: typeof az = {
  title: 'Apartment announcements',
  announcements: {
    caption: 'Announcements',
    address: 'Building address',
    status: 'Status',
    selection: 'Selection period',
    counts: 'Free / selected / sold / released',
    open: 'Show apartments',
    empty: 'No announcements',
  },
  statuses: {
    draft: 'draft',
    checking: 'being checked',
    refused: 'refused',
    published: 'published',
    open: 'selection open',
    closed: 'selection closed',
  },
  apartments: {
    caption: 'Apartments',
    number: 'Apartment',
    rooms: 'Rooms',
    floor: 'Floor',
    price: 'Price (AZN)',
    state: 'State',
    deadline: 'Next deadline',
    actions: 'Decision',
  },
  states: {
    free: 'free',
    selected: 'selected',
    sold: 'sold',
    released: 'to the next announcement',
    waiting: 'waiting: {{n}}',
  },
  cancel: {
    title: 'Cancel the selection: apartment {{number}}',
    ground: 'Ground',
    reason: 'Reasons',
    submit: 'Cancel the selection',
    done: 'Selection cancelled ({{ground}})',
  },
  grounds: {
    'not-satisfied': 'Application not satisfied (5.9)',
    'grant-revoked': 'Decision to satisfy revoked (5.9)',
    'holder-refused': 'The applicant refused (5.9)',
    'distortion-court': 'Distortion established by a court (6.5.1)',
  },
};

export default { az, en };
