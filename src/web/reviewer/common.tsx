import { useTranslation } from 'react-i18next';
import type { ReviewTask } from '../../contracts';
import { ApiError } from '../api';

export const PROCESSES = [
  'application-review',
  'waitlist-registration',
  'waitlist-slot-seizure',
  'registration-transfer',
] as const;

export const CATEGORIES = [
  ...Array.from({ length: 11 }, (_, i) => String(i + 1)),
  'general',
  'first-turn',
  'out-of-turn',
];

/** The case's name: the application's registration number, or the kind of waitlist case. */
export function useCaseName(): (task: ReviewTask) => string {
  const { t } = useTranslation('reviewer');
  return (task) =>
    task.registrationNumber !== null
      ? t('inbox.applicationNo', { n: task.registrationNumber })
      : t(`caseKinds.${task.caseKind ?? 'registration'}`);
}

export function useCategoryName(): (c: string | null) => string {
  const { t } = useTranslation('reviewer');
  return (c) =>
    c === null ? '—' : /^\d+$/.test(c) ? t('categories.number', { n: c }) : t(`categories.${c}`);
}

/** ok (> 3 working days), near (≤ 3), due (≤ 0: due today or overdue) — styles.css. */
export function deadlineClass(days: number | null): string {
  if (days === null) return '';
  return days <= 0 ? 'deadline-due' : days <= 3 ? 'deadline-near' : 'deadline-ok';
}

export function RemainingDays({ days }: { days: number | null }) {
  const { t } = useTranslation('reviewer');
  if (days === null) return <span>—</span>;
  const text =
    days > 0
      ? t('inbox.daysLeft', { count: days })
      : days === 0
        ? t('inbox.dueToday')
        : t('inbox.overdueBy', { count: -days });
  return (
    <span className={deadlineClass(days)} data-days={days}>
      {text}
    </span>
  );
}

export { FieldError } from '../components/FieldError';

export function fieldInvalid(error: unknown, field: string): boolean {
  return error instanceof ApiError && !!error.field(field);
}

/** A value from the case file, readable: lists and objects as "key: value" text. */
export function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (Array.isArray(v)) return v.map(show).join('; ');
  // a mobile number as the portal sends it: operator code + subscriber number (Azerbaijan +994)
  const phone = v as { operatorCode?: unknown; number?: unknown };
  if (
    typeof v === 'object' &&
    typeof phone.operatorCode === 'string' &&
    typeof phone.number === 'string'
  )
    return `+994 ${phone.operatorCode} ${phone.number}`;
  if (typeof v === 'object')
    return Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${show(x)}`)
      .join(', ');
  return String(v);
}
