import { useTranslation } from 'react-i18next';
import { ApiError } from '../api';

/** An error from the API (problem details), announced to screen readers. */
export function ErrorBox({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const p = error instanceof ApiError ? error.problem : undefined;
  return (
    <div role="alert" className="error-box">
      <strong>{p ? `${p.title} (${p.status})` : t('error')}</strong>
      {p?.detail && <p>{p.detail}</p>}
      {!p && <p>{String((error as Error).message ?? error)}</p>}
    </div>
  );
}
