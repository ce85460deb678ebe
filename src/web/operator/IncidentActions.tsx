import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import type { IncidentActionResult, RetryRequest } from '../../contracts';
import { ErrorBox } from '../components/ErrorBox';
import { FieldError, invalidProps, unplaced } from './FieldError';

/**
 * Retry an incident with a number of retries (the job gets them back and runs again), or mark
 * it resolved (after the cause was fixed by other means). Errors from the API appear next to
 * the field they name.
 */
export function IncidentActions(props: { incidentId: string; onDone(message: string): void }) {
  const { t } = useTranslation('operator');
  const [retries, setRetries] = useState('1');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const id = `retries-${props.incidentId}`;

  const run = async (action: 'retry' | 'resolve') => {
    setBusy(true);
    setError(undefined);
    try {
      const body: RetryRequest | Record<string, never> =
        action === 'retry' ? { retries: Number(retries) } : {};
      await api<IncidentActionResult>(
        `/api/v1/operator/incidents/${encodeURIComponent(props.incidentId)}/${action}`,
        { method: 'POST', body },
      );
      props.onDone(t(action === 'retry' ? 'incidents.retried' : 'incidents.resolved'));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="inline-form">
      <label htmlFor={id}>
        {t('incidents.retriesFor', { key: props.incidentId })}
        <input
          id={id}
          type="number"
          min={1}
          max={10}
          value={retries}
          onChange={(e) => setRetries(e.target.value)}
          {...invalidProps(error, 'retries', id)}
        />
        <FieldError error={error} field="retries" id={id} />
      </label>
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => void run('retry')}
        aria-label={`${t('incidents.retry')} ${props.incidentId}`}
      >
        {t('incidents.retry')}
      </button>
      <button
        type="button"
        disabled={busy}
        onClick={() => void run('resolve')}
        aria-label={`${t('incidents.resolve')} ${props.incidentId}`}
      >
        {t('incidents.resolve')}
      </button>
      <ErrorBox error={unplaced(error, ['retries'])} />
    </div>
  );
}
