// Dates on the operator screens as DD.MM.YYYY (and HH:MM), Baku time, in both languages: the
// browsers' Azerbaijani locale data is often missing and falls back to forms like "2026 M11 22".

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Baku',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as 'DD.MM.YYYY HH:MM' in Baku; '—' when absent. */
export function instant(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = Object.fromEntries(parts.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  return `${p.day}.${p.month}.${p.year} ${p.hour}:${p.minute}`;
}

/** A civil date 'YYYY-MM-DD' as 'DD.MM.YYYY'. */
export function civilDay(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}
