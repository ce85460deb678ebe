import { useTranslation } from 'react-i18next';

export function Pager(props: {
  total: number;
  limit: number;
  offset: number;
  onChange(offset: number): void;
}) {
  const { t } = useTranslation();
  const { total, limit, offset } = props;
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <button
        type="button"
        disabled={offset === 0}
        onClick={() => props.onChange(Math.max(0, offset - limit))}
      >
        {t('pager.prev')}
      </button>
      <span aria-live="polite">{t('pager.range', { from, to, total })}</span>
      <button type="button" disabled={to >= total} onClick={() => props.onChange(offset + limit)}>
        {t('pager.next')}
      </button>
    </nav>
  );
}
