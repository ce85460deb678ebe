import { useTranslation } from 'react-i18next';
import type { ActorName, CaseCheck, GroundText, PersonName } from '../../contracts';
import { formatDate } from '../i18n';
import { show } from './common';

/** Today's civil date in Baku (YYYY-MM-DD). */
function todayInBaku(): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Baku' }).format(new Date());
}

/** Full years between a civil date of birth and a civil date (both YYYY-MM-DD). */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export function personName(n: PersonName | null | undefined): string | null {
  if (!n) return null;
  return [n.lastName, n.firstName, n.patronymic].filter(Boolean).join(' ');
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * The case file's codes in words, in the screen's language (issue 15): check names and results
 * as one sentence, payment method, relations, audit actions, documents, grounds.
 */
export function useWords() {
  const { t, i18n } = useTranslation('reviewer');
  const en = i18n.language === 'en';
  const word = (group: string, code: string | null | undefined): string =>
    code === null || code === undefined || code === ''
      ? '—'
      : t(`${group}.${code}`, { defaultValue: code });
  const list = (group: string, codes: unknown): string =>
    Array.isArray(codes) ? codes.map((c) => word(group, String(c))).join('; ') : '';

  const groundText = (g: Pick<GroundText, 'textAz' | 'textEn'>) => (en ? g.textEn : g.textAz);

  const birth = (birthDate: string | null): string =>
    birthDate
      ? t('birth', { date: formatDate(birthDate), age: ageOn(birthDate, todayInBaku()) })
      : '—';

  /** "AZE 12345678, issued by … on 01.02.2020" */
  const idCard = (v: unknown): string => {
    if (!isObject(v)) return show(v);
    const args = {
      series: String(v.series ?? ''),
      number: String(v.number ?? ''),
      issuer: String(v.issuer ?? ''),
      date: formatDate(typeof v.issueDate === 'string' ? v.issueDate : null),
    };
    return t(v.issuer ? 'idCard.sentence' : 'idCard.sentenceNoIssuer', args);
  };

  /** A form field's value in words. */
  const fieldValue = (key: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    switch (key) {
      case 'idCard':
        return idCard(v);
      case 'paymentIntent':
        return word('payment', String(v));
      case 'lang':
        return word('langs', String(v));
      case 'smsOptIn':
      case 'singleParent':
        return v ? t('case.yes') : t('case.no');
      case 'category':
        return typeof v === 'number' || /^\d+$/.test(String(v))
          ? t('categories.number', { n: String(v) })
          : word('categories', String(v));
      case 'maritalStatus':
        return word('maritalStatus', String(v));
      case 'categoryDetails': {
        if (!isObject(v)) return show(v);
        const parts: string[] = [];
        if (typeof v.specialCivilService === 'boolean')
          parts.push(
            t(
              v.specialCivilService
                ? 'categoryDetails.specialCivilService'
                : 'categoryDetails.noSpecialCivilService',
            ),
          );
        if (typeof v.diplomaCountry === 'string')
          parts.push(t('categoryDetails.diplomaCountry', { country: v.diplomaCountry }));
        return parts.join('; ') || '—';
      }
      case 'proxy':
        return isObject(v)
          ? t('proxySentence', {
              fin: String(v.fin ?? ''),
              number: String(v.powerOfAttorneyNumber ?? ''),
            })
          : show(v);
      default:
        return show(v);
    }
  };

  /** The facts a check recorded besides reasons and notes, as short phrases. */
  const facts = (f: Record<string, unknown>): string[] => {
    const out: string[] = [];
    if (typeof f.dwellingCount === 'number')
      out.push(
        f.dwellingCount === 0
          ? t('facts.noDwellings')
          : t('facts.dwellings', { count: f.dwellingCount, area: String(f.totalAreaM2 ?? '—') }),
      );
    if (Array.isArray(f.conflictingRegistrationNumbers) && f.conflictingRegistrationNumbers.length)
      out.push(t('facts.conflicting', { numbers: f.conflictingRegistrationNumbers.join(', ') }));
    if (typeof f.category === 'number') out.push(t('facts.category', { n: f.category }));
    if (typeof f.youngFamily === 'string')
      out.push(t('facts.youngFamily', { basis: word('youngFamilyBasis', f.youngFamily) }));
    if (Array.isArray(f.requiredDocuments) && f.requiredDocuments.length)
      out.push(t('facts.requiredDocuments', { docs: list('documentKinds', f.requiredDocuments) }));
    if (isObject(f.evidence))
      for (const [k, v] of Object.entries(f.evidence)) {
        if (typeof v === 'number' && k.endsWith('Years'))
          out.push(t('facts.years', { what: word('evidence', k), n: v }));
        else if (k === 'relation') out.push(word('relations', String(v)));
      }
    const known = [
      'dwellingCount',
      'totalAreaM2',
      'conflictingRegistrationNumbers',
      'category',
      'youngFamily',
      'requiredDocuments',
      'evidence',
    ];
    for (const [k, v] of Object.entries(f))
      if (!known.includes(k) && v !== null && v !== undefined) out.push(`${k}: ${show(v)}`);
    return out;
  };

  /** One readable sentence per check: result with reasons, notes, facts. */
  const checkSentence = (c: CaseCheck): string => {
    const reasons = c.reasons.map((r) => word('reasons', r)).join('; ');
    const parts = [
      c.passed === null
        ? t('checkSentence.noted')
        : c.passed
          ? t('checkSentence.passed')
          : reasons
            ? t('checkSentence.failed', { reasons })
            : t('checkSentence.failedNoReason'),
    ];
    if (c.notes.length)
      parts.push(
        t('checkSentence.notes', { notes: c.notes.map((n) => word('notes', n)).join('; ') }),
      );
    const f = facts(c.facts).join('; ');
    if (f) parts.push(`${f.charAt(0).toLocaleUpperCase(i18n.language)}${f.slice(1)}.`);
    return parts.join(' ');
  };

  /**
   * 'system:check-identity' → system; 'citizen:portal' (through the portal) → citizen; a staff account by its name and roles (issue 15); an id
   * that is no account (a removed one, a service client) stays as it is.
   */
  const actor = (a: string, name?: ActorName | null): string =>
    a.startsWith('system')
      ? t('case.system')
      : a === 'citizen' || a === 'portal' || a.startsWith('citizen:')
        ? word('actors', 'citizen')
        : name
          ? t('signedInAs', {
              ns: 'common',
              name: name.displayName,
              roles: name.roles.map((r) => t(`roles.${r}`, { ns: 'common' })).join(', '),
            })
          : a;

  return { word, list, groundText, birth, idCard, fieldValue, checkSentence, actor };
}
