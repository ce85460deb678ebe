import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import common from './texts';
import reviewer from './reviewer/texts';
import operator from './operator/texts';
import analyst from './analyst/texts';
import admin from './admin/texts';

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
  ns: ['common', 'reviewer', 'operator', 'analyst', 'admin'],
  resources: {
    az: {
      common: common.az,
      reviewer: reviewer.az,
      operator: operator.az,
      analyst: analyst.az,
      admin: admin.az,
    },
    en: {
      common: common.en,
      reviewer: reviewer.en,
      operator: operator.en,
      analyst: analyst.en,
      admin: admin.en,
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

/** Dates and times shown in Baku time, in the current language's format. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18next.language === 'en' ? 'en-GB' : 'az-Latn-AZ', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Baku',
  }).format(new Date(iso));
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(i18next.language === 'en' ? 'en-GB' : 'az-Latn-AZ', {
    dateStyle: 'medium',
    timeZone: 'Asia/Baku',
  }).format(new Date(iso));
}
