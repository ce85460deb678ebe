import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './texts';
import reviewer from './reviewer/texts';
import operator from './operator/texts';
import analyst from './analyst/texts';
import admin from './admin/texts';
import mida from './mida/texts';

// Azerbaijani is the working language of the staff; English is available everywhere.
// Each area keeps its own texts (namespace) next to its screens.
export const LANGUAGES = ['az', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const stored = localStorage.getItem('lang');
const lng: Language = stored === 'en' ? 'en' : 'az';

void i18next.use(initReactI18next).init({
  lng,
  fallbackLng: 'az',
  defaultNS: 'common',
  ns: ['common', 'reviewer', 'operator', 'analyst', 'admin', 'mida'],
  resources: {
    az: {
      common: common.az,
      reviewer: reviewer.az,
      operator: operator.az,
      analyst: analyst.az,
      admin: admin.az,
      mida: mida.az,
    },
    en: {
      common: common.en,
      reviewer: reviewer.en,
      operator: operator.en,
      analyst: analyst.en,
      admin: admin.en,
      mida: mida.en,
    },
  },
  interpolation: { escapeValue: false }, // React escapes
});
document.documentElement.lang = lng;

export function setLanguage(l: Language): void {
  localStorage.setItem('lang', l);
  document.documentElement.lang = l;
  void i18next.changeLanguage(l);
}

// Chromium's ICU data renders az-Latn-AZ dates as "2026 M11 22"; Azerbaijani offices write
// 22.11.2026 14:05, so Azerbaijani uses that numeric form and English en-GB's medium style.
function format(iso: string | null | undefined, withTime: boolean): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (i18next.language === 'en')
    return new Intl.DateTimeFormat('en-GB', {
      dateStyle: 'medium',
      ...(withTime ? { timeStyle: 'short' } : {}),
      timeZone: 'Asia/Baku',
    }).format(d);
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone: 'Asia/Baku',
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.day}.${parts.month}.${parts.year}`;
  return withTime ? `${date} ${parts.hour}:${parts.minute}` : date;
}

/** Date and time in Baku time, in the current language's form. */
export function formatDateTime(iso: string | null | undefined): string {
  return format(iso, true);
}

/** Date only, in Baku time. */
export function formatDate(iso: string | null | undefined): string {
  return format(iso, false);
}
