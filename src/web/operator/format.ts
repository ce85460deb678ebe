import { formatDate, formatDateTime } from '../i18n';

/** An instant in Baku time, in the current language's form; '—' when absent. */
export const instant = formatDateTime;

/** A civil date 'YYYY-MM-DD' (a day in Baku), in the current language's form. */
export function civilDay(date: string): string {
  return formatDate(`${date}T12:00:00+04:00`);
}
