/**
 * Notice templates as data: Azerbaijani (default, domain brief §8) and English. Each template
 * names the parameters it needs and the legal point it rests on; renderNotice fills them in.
 * Point numbers: 000 service guide, 003 MİDA rule ("Qayda").
 */

export type NoticeLang = 'az' | 'en';
export const NOTICE_LANGS: readonly NoticeLang[] = ['az', 'en'];
export const DEFAULT_NOTICE_LANG: NoticeLang = 'az';

/** text: a string or number; date: rendered DD.MM.YYYY; comments: the reviewer's list (000 §2.4). */
export type NoticeParamKind = 'text' | 'date' | 'comments';

/**
 * One reviewer's comment on a field or an uploaded document (000 §2.4): either
 * `{ target: 'field' | 'document', name, comment }` as the reviewer's decision records it, or
 * `{ field | document, comment }`; a comment alone is a general remark.
 */
export interface DiscrepancyComment {
  target?: 'field' | 'document';
  name?: string;
  field?: string;
  document?: string;
  comment: string;
}

interface TemplateText {
  subject: string;
  /** Cabinet and e-mail body. */
  text: string;
  /** Short text for SMS: the applicant pays per message (000 §2.1.8); details are in the cabinet. */
  sms: string;
}

export interface NoticeTemplate {
  audience: 'applicant' | 'operator';
  legalGround: string;
  params: Record<string, NoticeParamKind>;
  az: TemplateText;
  en: TemplateText;
}

export interface RenderedNotice {
  lang: NoticeLang;
  subject: string;
  text: string;
  sms: string;
}

const SIGNATURE: Record<NoticeLang, string> = {
  az: 'Azərbaycan Respublikasının Prezidenti yanında Mənzil İnşaatı Dövlət Agentliyi (MİDA)',
  en: 'State Housing Construction Agency under the President of the Republic of Azerbaijan (MİDA)',
};

const COMMENT_LABELS: Record<
  NoticeLang,
  { field: string; document: string; quote: [string, string] }
> = {
  az: { field: 'Sahə', document: 'Sənəd', quote: ['«', '»'] },
  en: { field: 'Field', document: 'Document', quote: ['“', '”'] },
};

export const NOTICE_TEMPLATES = {
  // 003 §5.5: registered in real time with a registration sequence number; review in 5 working days.
  'application-registered': {
    audience: 'applicant',
    legalGround: '003 §5.5',
    params: { registrationNumber: 'text', registeredAt: 'date', reviewDueDate: 'date' },
    az: {
      subject: 'Müraciətiniz qeydiyyata alındı',
      text:
        'Hörmətli müraciət edən!\n\n' +
        '“Güzəştli mənzil” sistemində elektron kabinet yaradılması üçün müraciətiniz ' +
        '{registeredAt} tarixində qeydiyyata alınmış və ona {registrationNumber} qeydiyyat sıra nömrəsi verilmişdir.\n' +
        'Müraciətinizə qeydiyyata alındığı gündən 5 iş günü ərzində, {reviewDueDate} tarixinədək baxılacaqdır ' +
        '(Qaydanın 5.5-ci bəndi).',
      sms: 'MİDA: müraciətiniz qeydiyyata alındı, qeydiyyat nömrəsi {registrationNumber}. Baxılma müddəti: {reviewDueDate}.',
    },
    en: {
      subject: 'Your application has been registered',
      text:
        'Dear applicant,\n\n' +
        'Your application for an electronic cabinet in the “Preferential housing” system was registered on ' +
        '{registeredAt} under registration number {registrationNumber}.\n' +
        'It will be reviewed within 5 working days of its registration, by {reviewDueDate} ' +
        '(Rule, point 5.5).',
      sms: 'MİDA: your application is registered under No. {registrationNumber}. Review by {reviewDueDate}.',
    },
  },
  // 003 §5.5: the review may be extended by 10 working days when further inquiry is needed, and the applicant is told.
  'review-extended': {
    audience: 'applicant',
    legalGround: '003 §5.5',
    params: { registrationNumber: 'text', newDueDate: 'date' },
    az: {
      subject: 'Müraciətinizə baxılma müddəti uzadıldı',
      text:
        'Hörmətli müraciət edən!\n\n' +
        '{registrationNumber} saylı müraciətiniz üzrə əlavə araşdırmanın aparılması tələb olunduğundan ' +
        'baxılma müddəti 10 iş günü artırılmışdır. Müraciətinizə {newDueDate} tarixinədək baxılacaqdır ' +
        '(Qaydanın 5.5-ci bəndi).',
      sms: 'MİDA: {registrationNumber} saylı müraciətinizə baxılma müddəti {newDueDate} tarixinədək uzadıldı.',
    },
    en: {
      subject: 'The review of your application has been extended',
      text:
        'Dear applicant,\n\n' +
        'Because further inquiry is needed, the review period of your application No. {registrationNumber} ' +
        'has been extended by 10 working days. Your application will be reviewed by {newDueDate} ' +
        '(Rule, point 5.5).',
      sms: 'MİDA: the review of your application No. {registrationNumber} is extended until {newDueDate}.',
    },
  },
  // 000 §2.4: the wording the citizen sees, with the reviewer's comments and the date to resubmit by.
  'discrepancy-found': {
    audience: 'applicant',
    legalGround: '000 §2.4',
    params: { registrationNumber: 'text', dueDate: 'date', comments: 'comments' },
    az: {
      subject: 'Müraciətinizdə uyğunsuzluq aşkar edildi',
      text:
        'Hörmətli müraciət edən!\n\n' +
        'Sizin müraciətinizdə uyğunsuzluq mövcuddur. Uyğunsuzluqları aradan qaldırıb {dueDate} tarixinədək ' +
        'müraciəti yenidən təqdim edin.\n\n' +
        'Aşkar olunmuş uyğunsuzluqlara dair şərhlər ({registrationNumber} saylı müraciət):\n{comments}\n\n' +
        'Elektron kabinetdə “Müraciətə bax” düyməsini seçin, uyğunsuzluqları aradan qaldırın ' +
        '(məlumatları düzəldin və ya sənədi “Dəyiş” düyməsi ilə yenidən yükləyin) və “İmzala və təqdim et” ' +
        'düyməsini seçin. Müraciət göstərilən tarixədək yenidən təqdim edilmədikdə, ona olduğu kimi baxılacaq ' +
        'və kateqoriyaya aid olmanız müəyyən edilmədikdə elektron kabinet verilməsindən imtina edilə bilər ' +
        '(Qaydanın 5.5-ci bəndi).',
      sms: 'MİDA: müraciətinizdə uyğunsuzluq mövcuddur. Uyğunsuzluqları aradan qaldırıb {dueDate} tarixinədək yenidən təqdim edin. Şərhlər elektron kabinetinizdədir.',
    },
    en: {
      subject: 'A discrepancy was found in your application',
      text:
        'Dear applicant,\n\n' +
        'Your application has a discrepancy. Remove the discrepancies and resubmit the application by ' +
        '{dueDate}.\n\n' +
        'Comments on the discrepancies found (application No. {registrationNumber}):\n{comments}\n\n' +
        'In your electronic cabinet choose “View application”, remove the discrepancies (correct the data ' +
        'or upload the document again with “Change”) and choose “Sign and submit”. If the application is ' +
        'not resubmitted by that date, it will be reviewed as it stands, and if your belonging to the ' +
        'category is not established the electronic cabinet may be refused (Rule, point 5.5).',
      sms: 'MİDA: your application has a discrepancy. Remove it and resubmit by {dueDate}. The comments are in your electronic cabinet.',
    },
  },
  // 000 §2.4: reminder before the resubmission period runs out.
  'discrepancy-reminder': {
    audience: 'applicant',
    legalGround: '000 §2.4',
    params: { registrationNumber: 'text', dueDate: 'date' },
    az: {
      subject: 'Xatırlatma: uyğunsuzluğu aradan qaldırma müddəti bitir',
      text:
        'Hörmətli müraciət edən!\n\n' +
        '{registrationNumber} saylı müraciətinizdə aşkar olunmuş uyğunsuzluqlar hələ aradan qaldırılmayıb. ' +
        'Uyğunsuzluqları aradan qaldırıb {dueDate} tarixinədək müraciəti yenidən təqdim edin. ' +
        'Şərhlər elektron kabinetinizdə “Müraciətə bax” bölməsindədir.',
      sms: 'MİDA: xatırlatma — uyğunsuzluqları aradan qaldırıb müraciəti {dueDate} tarixinədək yenidən təqdim edin.',
    },
    en: {
      subject: 'Reminder: the period to remove the discrepancy is ending',
      text:
        'Dear applicant,\n\n' +
        'The discrepancies found in your application No. {registrationNumber} have not been removed yet. ' +
        'Remove them and resubmit the application by {dueDate}. The comments are under “View ' +
        'application” in your electronic cabinet.',
      sms: 'MİDA: reminder — remove the discrepancies and resubmit your application by {dueDate}.',
    },
  },
  // 000 §2.4 with 003 §5.5: a resubmission opens a new review period; the citizen is told its end.
  'application-resubmitted': {
    audience: 'applicant',
    legalGround: '000 §2.4; 003 §5.5',
    params: { registrationNumber: 'text', reviewDueDate: 'date', citation: 'text' },
    az: {
      subject: 'Yenidən təqdim etdiyiniz müraciət qəbul edildi',
      text:
        'Hörmətli müraciət edən!\n\n' +
        '{registrationNumber} saylı müraciətiniz uyğunsuzluqlar aradan qaldırıldıqdan sonra yenidən təqdim ' +
        'edilmişdir. Müraciətinizə {reviewDueDate} tarixinədək yenidən baxılacaqdır ({citation}).',
      sms: 'MİDA: {registrationNumber} saylı müraciətiniz yenidən təqdim edildi. Baxılma müddəti: {reviewDueDate}.',
    },
    en: {
      subject: 'Your resubmitted application has been received',
      text:
        'Dear applicant,\n\n' +
        'Your application No. {registrationNumber} was resubmitted after the discrepancies were removed. ' +
        'It will be reviewed again by {reviewDueDate} ({citation}).',
      sms: 'MİDA: application No. {registrationNumber} resubmitted. Review by {reviewDueDate}.',
    },
  },
  // 003 §5.5: decision to grant the electronic cabinet in the order of registration numbers.
  'application-approved': {
    audience: 'applicant',
    legalGround: '003 §5.5',
    params: { registrationNumber: 'text', decisionDate: 'date' },
    az: {
      subject: 'Sizə elektron kabinet verildi',
      text:
        'Hörmətli müraciət edən!\n\n' +
        '{registrationNumber} saylı müraciətinizə baxılmış və {decisionDate} tarixində Sizə elektron kabinet ' +
        'verilməsi barədə qərar qəbul edilmişdir (Qaydanın 5.5-ci bəndi). “Güzəştli mənzil” sistemi vasitəsilə ' +
        'elektron kabinetinizə daxil olaraq bildirişləri görə və barəsində elan verilmiş mənzilləri seçə bilərsiniz.',
      sms: 'MİDA: {registrationNumber} saylı müraciətiniz üzrə Sizə elektron kabinet verildi ({decisionDate}).',
    },
    en: {
      subject: 'You have been granted an electronic cabinet',
      text:
        'Dear applicant,\n\n' +
        'Your application No. {registrationNumber} has been reviewed, and on {decisionDate} it was decided to ' +
        'grant you an electronic cabinet (Rule, point 5.5). Through the “Preferential housing” system you can ' +
        'enter your electronic cabinet to see notices and select announced apartments.',
      sms: 'MİDA: you have been granted an electronic cabinet on application No. {registrationNumber} ({decisionDate}).',
    },
  },
  // 003 §5.5 and domain brief §8: a reasoned refusal names its legal ground and the reviewer's text.
  'application-refused': {
    audience: 'applicant',
    legalGround: '003 §5.5',
    params: {
      registrationNumber: 'text',
      decisionDate: 'date',
      legalGround: 'text',
      reason: 'text',
    },
    az: {
      subject: 'Elektron kabinet verilməsindən imtina edildi',
      text:
        'Hörmətli müraciət edən!\n\n' +
        '{registrationNumber} saylı müraciətinizə baxılmış və {decisionDate} tarixində elektron kabinet ' +
        'verilməsindən imtina barədə əsaslandırılmış qərar qəbul edilmişdir.\n\n' +
        'Hüquqi əsas: {legalGround}\n' +
        'Əsaslandırma: {reason}\n\n' +
        'Bu qərardan qanunvericiliklə müəyyən edilmiş qaydada inzibati qaydada (yuxarı orqana) və ya ' +
        'məhkəməyə şikayət verə bilərsiniz.',
      sms: 'MİDA: {registrationNumber} saylı müraciətiniz üzrə elektron kabinet verilməsindən imtina edildi. Əsaslandırılmış qərar elektron kabinetinizdədir.',
    },
    en: {
      subject: 'The electronic cabinet has been refused',
      text:
        'Dear applicant,\n\n' +
        'Your application No. {registrationNumber} has been reviewed, and on {decisionDate} a reasoned ' +
        'decision was taken to refuse the electronic cabinet.\n\n' +
        'Legal ground: {legalGround}\n' +
        'Reasons: {reason}\n\n' +
        'You may appeal this decision administratively (to the higher body) or in court, in the manner ' +
        'established by law.',
      sms: 'MİDA: the electronic cabinet on application No. {registrationNumber} was refused. The reasoned decision is in your electronic cabinet.',
    },
  },
  // 003 §5.5-1: mortgage intent → directed to the "Electronic mortgage and credit guarantee" system;
  // 5.5-2 apply to an agent bank for preliminary approval; 5.5-3 it is valid for one year.
  'mortgage-handover': {
    audience: 'applicant',
    legalGround: '003 §5.5-1',
    params: { registrationNumber: 'text' },
    az: {
      subject: '“Elektron ipoteka və kredit zəmanət” sisteminə yönləndirildiniz',
      text:
        'Hörmətli elektron kabinet sahibi!\n\n' +
        'Mənzili ipoteka krediti hesabına (və ya həm ipoteka krediti, həm də öz vəsaitiniz hesabına) əldə ' +
        'etmək istəyinizə uyğun olaraq Siz “Elektron ipoteka və kredit zəmanət” sisteminə yönləndirilmisiniz; ' +
        'həmin sistemdə qeydiyyatınız olmadıqda avtomatik qeydiyyata alınmısınız (Qaydanın 5.5-1-ci bəndi).\n' +
        'İlkin razılıq qərarının alınması üçün agent banka müraciət edin və ipoteka kreditinin verilməsi ' +
        'Qaydası ilə müəyyən edilmiş sənədləri təqdim edin; aldığınız ilkin razılıq qərarını elektron ' +
        'kabinetinizdə yerləşdirin (Qaydanın 5.5-2-ci bəndi). İlkin razılıq qərarı verildiyi tarixdən bir il ' +
        'ərzində qüvvədədir (Qaydanın 5.5-3-cü bəndi).\n\n' +
        'Müraciətin qeydiyyat nömrəsi: {registrationNumber}',
      sms: 'MİDA: Siz “Elektron ipoteka və kredit zəmanət” sisteminə yönləndirildiniz. İlkin razılıq üçün agent banka müraciət edin.',
    },
    en: {
      subject: 'You have been directed to the “Electronic mortgage and credit guarantee” system',
      text:
        'Dear electronic cabinet holder,\n\n' +
        'As you wish to acquire an apartment with a mortgage loan (or with a mortgage loan and your own ' +
        'funds), you have been directed to the “Electronic mortgage and credit guarantee” system and, if you ' +
        'were not registered there, registered automatically (Rule, point 5.5-1).\n' +
        'Apply to an agent bank for a preliminary approval decision with the documents required by the ' +
        'mortgage lending rules, and place the decision you receive in your electronic cabinet (Rule, point ' +
        '5.5-2). A preliminary approval is valid for one year from the date it is given (Rule, point 5.5-3).\n\n' +
        'Registration number of the application: {registrationNumber}',
      sms: 'MİDA: you have been directed to the “Electronic mortgage and credit guarantee” system. Apply to an agent bank for preliminary approval.',
    },
  },
  // 000 §2.2: an application started but not submitted is deleted after 10 days.
  'draft-deleted': {
    audience: 'applicant',
    legalGround: '000 §2.2',
    params: { startedAt: 'date' },
    az: {
      subject: 'Təqdim edilməmiş müraciətiniz silindi',
      text:
        'Hörmətli istifadəçi!\n\n' +
        '{startedAt} tarixində başladığınız, lakin imzalanıb təqdim edilməmiş müraciətiniz 10 gün ərzində ' +
        'təqdim edilmədiyi üçün silinmişdir (xidmətdən istifadə qaydasının 2.2-ci bəndi). ' +
        '“Güzəştli mənzil” sistemində yenidən müraciətə başlaya bilərsiniz.',
      sms: 'MİDA: {startedAt} tarixində başladığınız və təqdim etmədiyiniz müraciət 10 gün keçdiyi üçün silindi.',
    },
    en: {
      subject: 'Your unsubmitted application has been deleted',
      text:
        'Dear user,\n\n' +
        'The application you started on {startedAt} but did not sign and submit has been deleted because it ' +
        'was not submitted within 10 days (service guide, point 2.2). You can start a new application in ' +
        'the “Preferential housing” system.',
      sms: 'MİDA: the application you started on {startedAt} and did not submit was deleted after 10 days.',
    },
  },
  // To operators: the 5 (+10) working-day review period of 003 §5.5 has passed without a decision.
  'review-overdue': {
    audience: 'operator',
    legalGround: '003 §5.5',
    params: { registrationNumber: 'text', reviewDueDate: 'date' },
    az: {
      subject: 'Baxılma müddəti keçib: {registrationNumber} saylı müraciət',
      text:
        '{registrationNumber} saylı müraciətə baxılma müddəti {reviewDueDate} tarixində başa çatıb, lakin ' +
        'qərar qəbul edilməyib (Qaydanın 5.5-ci bəndi: 5 iş günü, uzadıldıqda əlavə 10 iş günü). ' +
        'Müraciətə dərhal baxın və ya gecikmənin səbəbini qeyd edin.',
      sms: 'MİDA: {registrationNumber} saylı müraciətə baxılma müddəti {reviewDueDate} tarixində keçib.',
    },
    en: {
      subject: 'Review overdue: application No. {registrationNumber}',
      text:
        'The review period of application No. {registrationNumber} ended on {reviewDueDate} without a ' +
        'decision (Rule, point 5.5: 5 working days, plus 10 when extended). Review the application now or ' +
        'record the reason for the delay.',
      sms: 'MİDA: the review of application No. {registrationNumber} is overdue since {reviewDueDate}.',
    },
  },
  // Housing Code 51.6: the document confirming registration is delivered within 3 working days.
  'waitlist-registered': {
    audience: 'applicant',
    legalGround: 'Mənzil Məcəlləsi 51.5–51.6',
    params: { registrationDate: 'date', decisionNumber: 'text', listKind: 'text' },
    az: {
      subject: 'Yaşayış sahəsinə ehtiyacı olanların uçotuna alındınız',
      text:
        'Hörmətli vətəndaş!\n\n' +
        '{registrationDate} tarixli {decisionNumber} nömrəli qərarla yaşayış sahəsinə ehtiyacı olan qismində ' +
        'uçota alınmısınız ({listKind} siyahı). Növbədə yeriniz uçota alınma tarixinə görə müəyyən edilir ' +
        '(Mənzil Məcəlləsinin 51.5, 56.1-ci maddələri).',
      sms: 'Uçota alındınız: {registrationDate}, qərar {decisionNumber}. Ətraflı elektron kabinetdə.',
    },
    en: {
      subject: 'You have been registered on the housing waitlist',
      text:
        'Dear citizen,\n\n' +
        'By decision No. {decisionNumber} of {registrationDate} you have been registered as needing housing ' +
        '({listKind} list). Your place in the queue follows the date of registration (Housing Code 51.5, 56.1).',
      sms: 'Registered on the waitlist: {registrationDate}, decision {decisionNumber}. Details in your cabinet.',
    },
  },
  // Housing Code 53.2–53.3: a reasoned refusal, delivered within 3 working days, appealable in court.
  'waitlist-registration-refused': {
    audience: 'applicant',
    legalGround: 'Mənzil Məcəlləsi 53.1–53.3',
    params: { legalGround: 'text', reason: 'text' },
    az: {
      subject: 'Uçota alınmaqdan imtina edildi',
      text:
        'Hörmətli vətəndaş!\n\n' +
        'Yaşayış sahəsinə ehtiyacı olan qismində uçota alınmağınızdan imtina edilmişdir.\n' +
        'Əsas: {legalGround}.\nƏsaslandırma: {reason}\n\n' +
        'Bu qərardan məhkəmə qaydasında şikayət verə bilərsiniz (Mənzil Məcəlləsinin 53.3-cü maddəsi).',
      sms: 'Uçota alınmaqdan imtina edildi ({legalGround}). Ətraflı elektron kabinetdə.',
    },
    en: {
      subject: 'Registration on the waitlist refused',
      text:
        'Dear citizen,\n\nYour registration as needing housing has been refused.\n' +
        'Ground: {legalGround}.\nReasons: {reason}\n\n' +
        'You may appeal this decision in court (Housing Code 53.3).',
      sms: 'Waitlist registration refused ({legalGround}). Details in your cabinet.',
    },
  },
  // Housing Code 55.2: the removal decision names its 55.1 ground, is delivered within 3 working
  // days and may be appealed in court. The Code sets no appeal period, so the notice names none.
  'waitlist-removal-decided': {
    audience: 'applicant',
    legalGround: 'Mənzil Məcəlləsi 55.1–55.2',
    params: { legalGround: 'text', reason: 'text', removedOn: 'date' },
    az: {
      subject: 'Uçotdan çıxarılma haqqında qərar',
      text:
        'Hörmətli vətəndaş!\n\n' +
        'Yaşayış sahəsinə ehtiyacı olanların uçotundan çıxarılmağınız haqqında qərar qəbul edilmiş və ' +
        '{removedOn} tarixində uçotdan çıxarılmısınız.\n' +
        'Əsas: {legalGround}.\nƏsaslandırma: {reason}\n\n' +
        'Bu qərardan məhkəmə qaydasında şikayət verə bilərsiniz (Mənzil Məcəlləsinin 55.2-ci maddəsi). ' +
        'Məhkəmə qərarı ləğv etdikdə uçota alınma tarixiniz və qərarın nömrəsi ilə növbədəki yeriniz bərpa edilir.',
      sms: 'Uçotdan çıxarılma qərarı ({legalGround}), {removedOn}. Ətraflı kabinetdə.',
    },
    en: {
      subject: 'Decision on removal from the waitlist',
      text:
        'Dear citizen,\n\nIt has been decided to remove you from the housing waitlist; you were removed on ' +
        '{removedOn}.\nGround: {legalGround}.\nReasons: {reason}\n\n' +
        'You may appeal this decision in court (Housing Code 55.2). If a court annuls it, your place in the ' +
        'queue is restored with your original registration date and decision number.',
      sms: 'Removal decision ({legalGround}), {removedOn}. Details in your cabinet.',
    },
  },
  // Housing Code 55.2: the court annulled the removal; the entry is back with its original
  // registration date and decision number, so its place in the queue is the one it had.
  'waitlist-removal-overturned': {
    audience: 'applicant',
    legalGround: 'Mənzil Məcəlləsi 55.2, 56.1',
    params: { registrationDate: 'date', decisionNumber: 'text' },
    az: {
      subject: 'Uçotdan çıxarılma qərarı ləğv edildi',
      text:
        'Hörmətli vətəndaş!\n\n' +
        'Məhkəmə uçotdan çıxarılmanız haqqında qərarı ləğv etmişdir. Siz {registrationDate} tarixli ' +
        '{decisionNumber} nömrəli qərarla uçota alınma tarixiniz üzrə növbədəki yerinizə bərpa edilmisiniz.',
      sms: 'Uçotdan çıxarılma ləğv edildi; yeriniz {registrationDate} tarixi ilə bərpa edildi.',
    },
    en: {
      subject: 'Removal from the waitlist annulled',
      text:
        'Dear citizen,\n\nA court annulled the decision to remove you from the waitlist. You are back in ' +
        'your place in the queue, registered by decision No. {decisionNumber} of {registrationDate}.',
      sms: 'Removal annulled; your place is restored with the registration date {registrationDate}.',
    },
  },
  'waitlist-retained': {
    audience: 'applicant',
    legalGround: 'Mənzil Məcəlləsi 54; 004 §20',
    params: { legalGround: 'text', reason: 'text' },
    az: {
      subject: 'Uçotda olmaq hüququnuz saxlanıldı',
      text: 'Hörmətli vətəndaş!\n\nUçotda olmaq hüququnuz saxlanılmışdır.\nƏsas: {legalGround}.\nƏsaslandırma: {reason}',
      sms: 'Uçotda olmaq hüququnuz saxlanıldı ({legalGround}).',
    },
    en: {
      subject: 'Your place on the waitlist is kept',
      text: 'Dear citizen,\n\nYour right to stay on the waitlist is kept.\nGround: {legalGround}.\nReasons: {reason}',
      sms: 'Your place on the waitlist is kept ({legalGround}).',
    },
  },
  // 002 §2.1: after the death of a registered member of a martyr's family the place is held and
  // the family may apply for the registration to be transferred within 3 months.
  'waitlist-slot-held': {
    audience: 'applicant',
    legalGround: '002 §2.1; Mənzil Məcəlləsi 55.1.7',
    params: { deathDate: 'date', heldUntil: 'date' },
    az: {
      subject: 'Uçotun ailə üzvünə keçirilməsi hüququ',
      text:
        'Hörmətli ailə üzvləri!\n\n' +
        'Uçotda olan ailə üzvünüzün {deathDate} tarixində vəfatı ilə əlaqədar onun növbədəki yeri saxlanılır. ' +
        'Ailənin yetkinlik yaşına çatmış üzvlərinin razılığı ilə nümayəndə {heldUntil} tarixinədək uçotun ' +
        'ona keçirilməsi üçün müraciət edə bilər (Nazirlər Kabinetinin 485 nömrəli Qərarı, 2.1-ci bənd).',
      sms: 'Uçotun ailə üzvünə keçirilməsi üçün {heldUntil} tarixinədək müraciət edə bilərsiniz.',
    },
    en: {
      subject: 'The right to transfer the waitlist registration',
      text:
        'Dear family members,\n\n' +
        'After the death of your registered family member on {deathDate}, the place in the queue is held. ' +
        'With the consent of the adult family members, a representative may apply until {heldUntil} for the ' +
        'registration to be transferred to them (Cabinet Decision No. 485, point 2.1).',
      sms: 'You may apply until {heldUntil} for the waitlist registration to be transferred.',
    },
  },
  // 002 §2.5: correctable deficiencies, notified within 1 working day; fixed within 7 working
  // days of receiving the notice (the cabinet notice counts as received the day it is sent).
  'transfer-deficiency-notice': {
    audience: 'applicant',
    legalGround: '002 §2.5',
    params: { noticeDate: 'date', deficiencies: 'text' },
    az: {
      subject: 'Uçotun saxlanması üçün təqdim edilmiş sənədlərdə çatışmazlıq',
      text:
        'Hörmətli təmsilçi!\n\n' +
        'Uçotun ailə üzvləri üçün saxlanması barədə müraciətinizə əlavə edilmiş sənədlərdə aradan qaldırılması ' +
        'mümkün olan çatışmazlıqlar aşkar edilmişdir ({noticeDate}): {deficiencies}.\n\n' +
        'Çatışmazlıqları bu yazılı məlumatı aldığınız gündən ən gec 7 (yeddi) iş günü müddətində aradan qaldırın ' +
        '(Nazirlər Kabinetinin 485 nömrəli Qərarı, 2.5-ci bənd); son tarix məlumatı aldığınız gün qeydə alınmaqla hesablanır. ' +
        'Bu müddətdə aradan qaldırılmadıqda müraciətdən 3.1.1-ci yarımbəndə əsasən imtina edilir.',
      sms: 'Uçotun saxlanması: sənədlərdə çatışmazlıq. Aldığınız gündən 7 iş günü ərzində aradan qaldırın. Ətraflı kabinetdə.',
    },
    en: {
      subject: 'Deficiencies in the documents for the registration transfer',
      text:
        'Dear representative,\n\n' +
        'Correctable deficiencies were found in the documents of your application to keep the registration ' +
        'for the family ({noticeDate}): {deficiencies}.\n\n' +
        'Fix them within 7 working days of the day you receive this written notice (Cabinet Decision No. 485, ' +
        'point 2.5); the last day is counted from the day your receipt of it is recorded. Otherwise the ' +
        'application is refused under point 3.1.1.',
      sms: 'Registration transfer: documents incomplete. Fix within 7 working days of receipt. Details in your cabinet.',
    },
  },
  // 002 §2.6: the representative is registered in place of the deceased; the place is kept.
  'transfer-granted': {
    audience: 'applicant',
    legalGround: '002 §2.6, §1.2.1',
    params: { registrationDate: 'date', decisionNumber: 'text', legalGround: 'text' },
    az: {
      subject: 'Uçot ailə üzvü üçün saxlanıldı',
      text:
        'Hörmətli vətəndaş!\n\n' +
        'Təmsilçi uçota alınmış şəxsin əvəzinə uçota alınmışdır ({legalGround}). Uçot işinin nömrəsi ' +
        '({decisionNumber}) və {registrationDate} tarixli uçota alınma ilə müəyyən edilən növbədəki yer saxlanılır. ' +
        'Təqdim edilmiş sənədlər uçot işinə əlavə olunur (2.7-ci bənd).',
      sms: 'Uçot ailə üzvü üçün saxlanıldı: iş {decisionNumber}, növbə yeri dəyişmir.',
    },
    en: {
      subject: 'The registration is kept for the family',
      text:
        'Dear citizen,\n\n' +
        'The representative has been registered in place of the registered person ({legalGround}). The file ' +
        'number ({decisionNumber}) and the place in the queue given by the registration of {registrationDate} ' +
        'are kept. The documents join the waitlist file (point 2.7).',
      sms: 'Registration kept for the family: file {decisionNumber}, same place in the queue.',
    },
  },
  // 002 §3.2–3.3: a reasoned refusal; a copy within 3 working days; appeal administratively or in court.
  'transfer-refused': {
    audience: 'applicant',
    legalGround: '002 §3.1–3.5',
    params: { legalGround: 'text', reason: 'text', cure: 'text' },
    az: {
      subject: 'Uçotun ailə üzvləri üçün saxlanılmasından imtina edildi',
      text:
        'Hörmətli vətəndaş!\n\n' +
        'Uçotun ailə üzvləri üçün saxlanılmasından imtina edilmişdir.\n' +
        'Əsas: {legalGround}.\nƏsaslandırma: {reason}\n{cure}\n\n' +
        'Bu qərardan "İnzibati icraat haqqında" Qanuna uyğun olaraq inzibati qaydada və ya məhkəmə qaydasında ' +
        'şikayət verə bilərsiniz (Nazirlər Kabinetinin 485 nömrəli Qərarı, 3.3-cü bənd).',
      sms: 'Uçotun saxlanılmasından imtina edildi ({legalGround}). Ətraflı kabinetdə.',
    },
    en: {
      subject: 'Keeping the registration for the family refused',
      text:
        'Dear citizen,\n\nKeeping the registration for the family has been refused.\n' +
        'Ground: {legalGround}.\nReasons: {reason}\n{cure}\n\n' +
        'You may appeal this decision administratively under the Law on Administrative Proceedings or in ' +
        'court (Cabinet Decision No. 485, point 3.3).',
      sms: 'Registration transfer refused ({legalGround}). Details in your cabinet.',
    },
  },
  // 003 §5.7: the selection and the lock are shown in the cabinet at once.
  'apartment-selected': {
    audience: 'applicant',
    legalGround: '003 §5.7',
    params: { apartment: 'text', selectedOn: 'date', noticeDueDate: 'date' },
    az: {
      subject: 'Mənzil seçildi',
      text:
        'Hörmətli elektron kabinet sahibi!\n\n' +
        '{selectedOn} tarixində {apartment} mənzilini seçdiniz. Mənzili digər şəxslərin seçməsi imkanı ' +
        'məhdudlaşdırılmışdır (Qaydanın 5.7-ci bəndi). Seçilmiş mənzil barədə bildiriş {noticeDueDate} ' +
        'tarixinədək kabinetinizdə yerləşdiriləcək (6.1-ci bənd).',
      sms: 'MİDA: {apartment} mənzilini seçdiniz. Ətraflı: elektron kabinet.',
    },
    en: {
      subject: 'Apartment selected',
      text:
        'Dear cabinet holder,\n\n' +
        'On {selectedOn} you selected apartment {apartment}. It is now locked for others (point 5.7 of the ' +
        'Rule). The notice on the selected apartment will be in your cabinet by {noticeDueDate} (point 6.1).',
      sms: 'MİDA: you selected apartment {apartment}. Details in your cabinet.',
    },
  },
  // 003 §5.7-1: a waiting selection, in order.
  'apartment-waiting': {
    audience: 'applicant',
    legalGround: '003 §5.7-1',
    params: { apartment: 'text', position: 'text' },
    az: {
      subject: 'Mənzil gözləmə qaydasında seçildi',
      text:
        'Hörmətli elektron kabinet sahibi!\n\n' +
        '{apartment} mənzilini gözləmə qaydasında seçdiniz; növbəniz: {position}. Ərizəçinin seçimi ləğv ' +
        'edildikdə növbə ilə ərizəçi statusunu əldə edəcəksiniz (Qaydanın 5.7-1 – 5.7-3-cü bəndləri).',
      sms: 'MİDA: {apartment} mənzili üçün gözləmə növbəniz: {position}.',
    },
    en: {
      subject: 'Waiting slot taken',
      text:
        'Dear cabinet holder,\n\n' +
        'You are waiting for apartment {apartment}; your place in line: {position}. If the applicant’s ' +
        'selection is cancelled you become the applicant in turn (points 5.7-1 to 5.7-3 of the Rule).',
      sms: 'MİDA: your waiting place for apartment {apartment}: {position}.',
    },
  },
  // 003 §6.1, §6.2: own funds — the notice names the notary and the date; 15 working days to sign.
  'apartment-notice-own-funds': {
    audience: 'applicant',
    legalGround: '003 §6.1, §6.2',
    params: {
      apartment: 'text',
      notaryName: 'text',
      notaryAddress: 'text',
      notaryDate: 'date',
      contractDueDate: 'date',
    },
    az: {
      subject: 'Seçilmiş mənzil barədə bildiriş',
      text:
        'Hörmətli ərizəçi!\n\n' +
        'Seçdiyiniz {apartment} mənzilinin alqı-satqı müqaviləsinin rəsmiləşdirilməsi üçün {notaryDate} ' +
        'tarixində {notaryName} notariusa ({notaryAddress}) müraciət etməlisiniz. Həmin tarixdə müraciət ' +
        'edə bilmədikdə sistem vasitəsilə yeni tarix istəyin. Müqavilə {contractDueDate} tarixinədək ' +
        'bağlanmalıdır, əks halda seçim ləğv edilir (Qaydanın 6.2-ci və 5.9-cu bəndləri).',
      sms: 'MİDA: {apartment} üçün notarius: {notaryDate}. Son tarix: {contractDueDate}.',
    },
    en: {
      subject: 'Notice on the selected apartment',
      text:
        'Dear applicant,\n\n' +
        'To sign the sale contract of apartment {apartment}, come to the notary {notaryName} ' +
        '({notaryAddress}) on {notaryDate}. If you cannot come that day, ask for a new date through the ' +
        'system. The contract must be signed by {contractDueDate}, otherwise the selection is cancelled ' +
        '(points 6.2 and 5.9 of the Rule).',
      sms: 'MİDA: notary for {apartment} on {notaryDate}. Deadline: {contractDueDate}.',
    },
  },
  // 003 §6.1, §6.3, §6.4: mortgage — apply to the agent bank within 10 working days; MİDA attends the notary.
  'apartment-notice-mortgage': {
    audience: 'applicant',
    legalGround: '003 §6.1, §6.3, §6.4',
    params: { apartment: 'text', bankDueDate: 'date' },
    az: {
      subject: 'Seçilmiş mənzil barədə bildiriş (ipoteka)',
      text:
        'Hörmətli ərizəçi!\n\n' +
        'Seçdiyiniz {apartment} mənzilinin qiymətləndirilməsi və ipoteka kreditinin verilməsinə razılıq ' +
        'barədə qərar alınması üçün {bankDueDate} tarixinədək agent banka müraciət etməlisiniz (Qaydanın ' +
        '6.3-cü bəndi). Bankın razılıq qərarı “Elektron ipoteka və kredit zəmanət” sistemində yerləşdirildikdən ' +
        'sonra sizin və (və ya) bankın tələbi ilə Cəmiyyət alqı-satqı və ipoteka müqaviləsinin rəsmiləşdirilməsi ' +
        'üçün notariatda iştirakını təmin edəcək (6.4-cü bənd).',
      sms: 'MİDA: {apartment} üçün {bankDueDate} tarixinədək agent banka müraciət edin.',
    },
    en: {
      subject: 'Notice on the selected apartment (mortgage)',
      text:
        'Dear applicant,\n\n' +
        'Apply to the agent bank by {bankDueDate} for the valuation of apartment {apartment} and the ' +
        'decision to grant the mortgage (point 6.3 of the Rule). Once the bank’s approval is in the ' +
        'Mortgage and Credit Guarantee e-system, MİDA will attend the notary, at your or the bank’s request, ' +
        'for the sale-and-mortgage contract (point 6.4).',
      sms: 'MİDA: apply to the agent bank for {apartment} by {bankDueDate}.',
    },
  },
  // 003 §6.2: a new notary date asked for through the system: a new notice.
  'apartment-notary-new-date': {
    audience: 'applicant',
    legalGround: '003 §6.2',
    params: {
      apartment: 'text',
      notaryName: 'text',
      notaryAddress: 'text',
      notaryDate: 'date',
      contractDueDate: 'date',
    },
    az: {
      subject: 'Notariusa müraciət üçün yeni tarix',
      text:
        'Hörmətli ərizəçi!\n\n' +
        '{apartment} mənzilinin alqı-satqı müqaviləsi üçün yeni tarix: {notaryDate}, notarius {notaryName} ' +
        '({notaryAddress}). Müqavilə {contractDueDate} tarixinədək bağlanmalıdır (Qaydanın 6.2-ci bəndi).',
      sms: 'MİDA: notarius üçün yeni tarix {notaryDate}. Son tarix: {contractDueDate}.',
    },
    en: {
      subject: 'New date at the notary',
      text:
        'Dear applicant,\n\n' +
        'New date for the sale contract of apartment {apartment}: {notaryDate}, notary {notaryName} ' +
        '({notaryAddress}). The contract must be signed by {contractDueDate} (point 6.2 of the Rule).',
      sms: 'MİDA: new notary date {notaryDate}. Deadline: {contractDueDate}.',
    },
  },
  // 003 §6.5.2, §6.5.3: the bank refused; 3 working days to switch to own funds.
  'apartment-bank-refused': {
    audience: 'applicant',
    legalGround: '003 §6.5.2, §6.5.3',
    params: { apartment: 'text', switchDueDate: 'date' },
    az: {
      subject: 'Agent bank ipoteka kreditindən imtina etdi',
      text:
        'Hörmətli ərizəçi!\n\n' +
        'Agent bank {apartment} mənzili üçün ipoteka kreditinin verilməsindən imtina etmişdir. Mənzili öz ' +
        'vəsaitiniz hesabına əldə etmək niyyətinizi {switchDueDate} tarixinədək sistem vasitəsilə ' +
        'bildirməsəniz, seçiminiz ləğv ediləcək (Qaydanın 6.5.2-ci və 6.5.3-cü yarımbəndləri).',
      sms: 'MİDA: bank imtina etdi. Öz vəsaitinizə keçmək üçün son tarix: {switchDueDate}.',
    },
    en: {
      subject: 'The agent bank refused the mortgage',
      text:
        'Dear applicant,\n\n' +
        'The agent bank refused the mortgage for apartment {apartment}. Unless you state through the ' +
        'system by {switchDueDate} that you will buy with your own funds, your selection is cancelled ' +
        '(points 6.5.2 and 6.5.3 of the Rule).',
      sms: 'MİDA: the bank refused. Switch to own funds by {switchDueDate}.',
    },
  },
  // 003 §5.9, §6.5: a reasoned cancellation of the selection, with its point.
  'apartment-selection-cancelled': {
    audience: 'applicant',
    legalGround: '003 §5.9, §6.5',
    params: { apartment: 'text', legalGround: 'text', reason: 'text' },
    az: {
      subject: 'Mənzil seçiminiz ləğv edildi',
      text:
        'Hörmətli ərizəçi!\n\n{apartment} mənzili üzrə seçiminiz ləğv edilmişdir.\nƏsas: {legalGround}.\n' +
        'Səbəb: {reason}\n\nQərardan “İnzibati icraat haqqında” Qanuna uyğun olaraq inzibati qaydada və ya ' +
        'məhkəməyə şikayət edə bilərsiniz.',
      sms: 'MİDA: {apartment} üzrə seçiminiz ləğv edildi ({legalGround}). Ətraflı: kabinet.',
    },
    en: {
      subject: 'Your apartment selection has been cancelled',
      text:
        'Dear applicant,\n\nYour selection of apartment {apartment} has been cancelled.\nGround: {legalGround}.\n' +
        'Reason: {reason}\n\nYou may appeal under the Law on Administrative Proceedings or in court.',
      sms: 'MİDA: your selection of {apartment} was cancelled ({legalGround}). Details in your cabinet.',
    },
  },
  // 003 §5.7-2, §5.7-3: the waiting holder becomes the applicant.
  'apartment-promoted': {
    audience: 'applicant',
    legalGround: '003 §5.7-2, §5.7-3',
    params: { apartment: 'text', legalGround: 'text' },
    az: {
      subject: 'Ərizəçi statusunu əldə etdiniz',
      text:
        'Hörmətli elektron kabinet sahibi!\n\nGözləmə qaydasında seçdiyiniz {apartment} mənzili üzrə ' +
        'ərizəçinin seçimi ləğv edilmişdir. Siz ərizəçi statusunu əldə etdiniz və bu mənzili almaq hüququnuz ' +
        'yarandı ({legalGround}).',
      sms: 'MİDA: {apartment} mənzili üzrə ərizəçi statusunu əldə etdiniz.',
    },
    en: {
      subject: 'You are now the applicant',
      text:
        'Dear cabinet holder,\n\nThe applicant’s selection of apartment {apartment}, which you were waiting ' +
        'for, has been cancelled. You are now the applicant and have the right to buy it ({legalGround}).',
      sms: 'MİDA: you are now the applicant for apartment {apartment}.',
    },
  },
  // 003 §5.5-3, §5.6, §6.3, §6.5.3: promoted with the mortgage, but the preliminary approval is
  // more than a year old: a new one in the cabinet, or own funds, within the §6.3 period.
  'apartment-pre-approval-renewal': {
    audience: 'applicant',
    legalGround: '003 §5.5-3, §5.6, §6.5.3',
    params: { apartment: 'text', issuedOn: 'date' },
    az: {
      subject: 'Yeni ilkin razılıq qərarı tələb olunur',
      text:
        'Hörmətli elektron kabinet sahibi!\n\n' +
        '{apartment} mənzili üzrə ərizəçi statusunu əldə etdiniz, lakin agent bankın {issuedOn} tarixli ilkin ' +
        'razılıq qərarının verildiyi tarixdən bir il keçmişdir (Qaydanın 5.5-3-cü bəndi). Mənzili ipoteka krediti ' +
        'ilə almaq üçün yeni ilkin razılıq qərarı alıb elektron kabinetinizdə yerləşdirin və agent banka müraciət ' +
        'edin, yaxud mənzili öz vəsaitiniz hesabına almaq niyyətinizi sistem vasitəsilə bildirin. Bunlar 6.1-ci ' +
        'bənddə nəzərdə tutulan bildirişdən sonra 10 iş günü ərzində edilmədikdə seçiminiz ləğv edilir ' +
        '(Qaydanın 6.3-cü və 6.5.3-cü yarımbəndləri).',
      sms: 'MİDA: {apartment} mənzili üçün yeni ilkin razılıq qərarı və ya öz vəsaiti seçimi tələb olunur.',
    },
    en: {
      subject: 'A new preliminary approval is needed',
      text:
        'Dear cabinet holder,\n\n' +
        'You are now the applicant for apartment {apartment}, but the agent bank’s preliminary approval of ' +
        '{issuedOn} is more than a year old (point 5.5-3 of the Rule). To buy with a mortgage, obtain a new ' +
        'preliminary approval, place it in your cabinet and apply to the agent bank; or state through the ' +
        'system that you buy with own funds. If neither is done within 10 working days of the notice of ' +
        'point 6.1, your selection is cancelled (points 6.3 and 6.5.3 of the Rule).',
      sms: 'MİDA: apartment {apartment} needs a new preliminary approval or a switch to own funds.',
    },
  },
  // 003 §7: the contract is signed, notarised and prior-registered.
  'apartment-sale-completed': {
    audience: 'applicant',
    legalGround: '003 §7.2, §7.3',
    params: { apartment: 'text', signedOn: 'date' },
    az: {
      subject: 'Alqı-satqı müqaviləsi bağlandı',
      text:
        'Hörmətli ərizəçi!\n\n{apartment} mənzilinin alqı-satqı müqaviləsi {signedOn} tarixində notariat ' +
        'qaydasında təsdiq edilmiş və hüquqlarınız daşınmaz əmlakın dövlət reyestrində qabaqcadan qeydiyyata ' +
        'alınmışdır (Qaydanın 7.2-ci bəndi).',
      sms: 'MİDA: {apartment} üzrə müqavilə {signedOn} tarixində bağlandı.',
    },
    en: {
      subject: 'Sale contract signed',
      text:
        'Dear applicant,\n\nThe sale contract of apartment {apartment} was certified by the notary on ' +
        '{signedOn} and your rights were prior-registered in the state real-estate registry (point 7.2 of the Rule).',
      sms: 'MİDA: contract for {apartment} signed on {signedOn}.',
    },
  },
} as const satisfies Record<string, NoticeTemplate>;

export type NoticeTemplateName = keyof typeof NOTICE_TEMPLATES;
export const NOTICE_TEMPLATE_NAMES = Object.keys(NOTICE_TEMPLATES) as [
  NoticeTemplateName,
  ...NoticeTemplateName[],
];

export function isNoticeTemplateName(name: unknown): name is NoticeTemplateName {
  return typeof name === 'string' && Object.hasOwn(NOTICE_TEMPLATES, name);
}

/** Names the parameters only, never their values (they may be personal data). */
export class NoticeParamsError extends Error {
  constructor(
    readonly template: string,
    readonly missing: string[],
    readonly invalid: string[],
  ) {
    const parts = [
      missing.length ? `missing params: ${missing.join(', ')}` : '',
      invalid.length ? `invalid params: ${invalid.join(', ')}` : '',
    ].filter(Boolean);
    super(`notice template "${template}": ${parts.join('; ')}`);
    this.name = 'NoticeParamsError';
  }
}

// Dates of legal periods are Baku dates (UTC+4); a plain YYYY-MM-DD is taken as it is.
const bakuDate = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Baku',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** DD.MM.YYYY; undefined when the value is not a date. */
export function formatNoticeDate(value: unknown): string | undefined {
  if (typeof value === 'string') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    if (m) {
      const [, y, mo, d] = m;
      const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
      if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1)
        return undefined;
      return `${d}.${mo}.${y}`;
    }
    if (!/^\d{4}-\d{2}-\d{2}T/.test(value)) return undefined;
  }
  if (!(value instanceof Date) && typeof value !== 'string') return undefined;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  const parts = Object.fromEntries(bakuDate.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.day}.${parts.month}.${parts.year}`;
}

function isComment(c: unknown): c is DiscrepancyComment {
  const x = c as DiscrepancyComment | null;
  return (
    !!x &&
    typeof x === 'object' &&
    typeof x.comment === 'string' &&
    x.comment.trim() !== '' &&
    (x.field === undefined || typeof x.field === 'string') &&
    (x.document === undefined || typeof x.document === 'string') &&
    (x.name === undefined || typeof x.name === 'string') &&
    (x.target === undefined || x.target === 'field' || x.target === 'document')
  );
}

function formatComments(list: DiscrepancyComment[], lang: NoticeLang): string {
  const { field, document, quote } = COMMENT_LABELS[lang];
  const [open, close] = quote;
  return list
    .map((c) => {
      if (c.target === 'document' && c.name)
        return `• ${document} ${open}${c.name}${close}: ${c.comment}`;
      if (c.target === 'field' && c.name)
        return `• ${field} ${open}${c.name}${close}: ${c.comment}`;
      if (c.document) return `• ${document} ${open}${c.document}${close}: ${c.comment}`;
      if (c.field) return `• ${field} ${open}${c.field}${close}: ${c.comment}`;
      return `• ${c.comment}`;
    })
    .join('\n');
}

function isMissing(v: unknown): boolean {
  return (
    v === undefined ||
    v === null ||
    (typeof v === 'string' && v.trim() === '') ||
    (Array.isArray(v) && v.length === 0)
  );
}

function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/**
 * Pure: the notice in the given language. Throws NoticeParamsError naming every missing or
 * malformed parameter, so a process that forgot one fails its job (and shows an incident)
 * instead of sending a notice with a hole in it.
 */
export function renderNotice(
  template: NoticeTemplateName,
  lang: NoticeLang = DEFAULT_NOTICE_LANG,
  params: Record<string, unknown> = {},
): RenderedNotice {
  if (!isNoticeTemplateName(template)) throw new Error(`unknown notice template "${template}"`);
  if (!NOTICE_LANGS.includes(lang)) throw new Error(`unknown notice language "${lang}"`);
  const def: NoticeTemplate = NOTICE_TEMPLATES[template];
  const missing: string[] = [];
  const invalid: string[] = [];
  const values: Record<string, string> = {};
  for (const [name, kind] of Object.entries(def.params)) {
    const v = params[name];
    if (isMissing(v)) {
      missing.push(name);
      continue;
    }
    if (kind === 'date') {
      const d = formatNoticeDate(v);
      if (d === undefined) invalid.push(name);
      else values[name] = d;
    } else if (kind === 'comments') {
      if (!Array.isArray(v) || !v.every(isComment)) invalid.push(name);
      else values[name] = formatComments(v, lang);
    } else if (typeof v === 'string' || typeof v === 'number') {
      values[name] = String(v);
    } else {
      invalid.push(name);
    }
  }
  if (missing.length || invalid.length) throw new NoticeParamsError(template, missing, invalid);
  const t = def[lang];
  const signature = def.audience === 'applicant' ? `\n\n${SIGNATURE[lang]}` : '';
  return {
    lang,
    subject: fill(t.subject, values),
    text: fill(t.text, values) + signature,
    sms: fill(t.sms, values),
  };
}
