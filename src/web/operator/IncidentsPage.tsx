import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, query } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Pager } from '../components/Pager';
import { instant } from './format';
import { FieldError, invalidProps, unplaced } from './FieldError';
import { IncidentActions } from './IncidentActions';
import type { BatchRetryRequest, BatchRetryResult, Incident, Page } from '../../contracts';
import { PROCESS_IDS } from './choices';

const LIMIT = 20;

export function IncidentsPage() {
  const { t } = useTranslation('operator');
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = params.get('state') ?? 'active';
  const process = params.get('process') ?? '';
  const offset = Number(params.get('offset')) || 0;
  const [page, setPage] = useState<Page<Incident>>();
  const [error, setError] = useState<unknown>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [batchRetries, setBatchRetries] = useState('1');
  const [batchError, setBatchError] = useState<unknown>();
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setPage(
        await api<Page<Incident>>(
          `/api/v1/operator/incidents${query({ state, process, limit: LIMIT, offset })}`,
        ),
      );
    } catch (err) {
      setError(err);
    }
  }, [state, process, offset]);
  useEffect(() => {
    void load();
  }, [load]);

  const update = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next))
      if (v) p.set(k, v);
      else p.delete(k);
    setParams(p);
  };
  const filter = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    update({ state: String(f.get('state')), process: String(f.get('process')), offset: '' });
  };
  const toggle = (key: string, on: boolean) =>
    setSelected((s) => {
      const n = new Set(s);
      if (on) n.add(key);
      else n.delete(key);
      return n;
    });
  const done = (text: string) => {
    setMessage(text);
    setSelected(new Set());
    void load();
  };
  const batchRetry = async () => {
    setBatchError(undefined);
    try {
      const res = await api<BatchRetryResult>('/api/v1/operator/incidents/retry', {
        method: 'POST',
        body: { ids: [...selected], retries: Number(batchRetries) } satisfies BatchRetryRequest,
      });
      const ok = res.results.filter((r) => r.status === 'retried').length;
      done(t('incidents.batchDone', { ok, failed: res.results.length - ok }));
    } catch (err) {
      setBatchError(err);
    }
  };

  const items = page?.items ?? [];
  const allSelected = items.length > 0 && items.every((i) => selected.has(i.id));
  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">{t('incidents.title')}</h1>
      <form className="filters" onSubmit={filter}>
        <label htmlFor="incidents-state">
          {t('incidents.state')}
          <select id="incidents-state" name="state" defaultValue={state} key={state}>
            <option value="active">{t('states.active')}</option>
            <option value="resolved">{t('states.resolved')}</option>
          </select>
        </label>
        <label htmlFor="incidents-process">
          {t('incidents.process')}
          <input
            id="incidents-process"
            name="process"
            list="incident-process-ids"
            defaultValue={process}
            key={process}
          />
        </label>
        <datalist id="incident-process-ids">
          {PROCESS_IDS.map((p) => (
            <option key={p} value={p}>
              {t(`processes.${p}`)}
            </option>
          ))}
        </datalist>
        <button type="submit">{tc('search')}</button>
      </form>
      <p role="status" aria-live="polite">
        {message}
      </p>
      <ErrorBox error={error} />
      {state === 'active' && (
        <div className="filters panel">
          <label htmlFor="batch-retries">
            {t('incidents.batchRetries')}
            <input
              id="batch-retries"
              type="number"
              min={1}
              max={10}
              value={batchRetries}
              onChange={(e) => setBatchRetries(e.target.value)}
              {...invalidProps(batchError, 'retries', 'batch-retries')}
            />
            <FieldError error={batchError} field="retries" id="batch-retries" />
          </label>
          <button
            type="button"
            className="primary"
            disabled={selected.size === 0}
            onClick={() => void batchRetry()}
          >
            {t('incidents.batchRetry', { count: selected.size })}
          </button>
          <FieldError error={batchError} field="ids" id="batch-keys" />
          <ErrorBox error={unplaced(batchError, ['retries', 'ids'])} />
        </div>
      )}
      {state === 'active' && <p className="note">{t('incidents.retryExplained')}</p>}
      {page && items.length === 0 && <p>{t('incidents.empty')}</p>}
      {items.length > 0 && (
        <table data-testid="incidents">
          <thead>
            <tr>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={t('incidents.selectAll')}
                  checked={allSelected}
                  onChange={(e) => items.forEach((i) => toggle(i.id, e.target.checked))}
                />
              </th>
              <th scope="col">{t('incidents.error')}</th>
              <th scope="col">{t('incidents.element')}</th>
              <th scope="col">{t('incidents.process')}</th>
              <th scope="col">{t('incidents.instance')}</th>
              <th scope="col">{t('incidents.createdAt')}</th>
              {state === 'active' && <th scope="col">{t('incidents.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.id} data-incident={i.id}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t('incidents.select', { key: i.id })}
                    checked={selected.has(i.id)}
                    onChange={(e) => toggle(i.id, e.target.checked)}
                  />
                </td>
                <td>
                  {/* every field labelled; the worker's message in full */}
                  <dl className="incident-fields">
                    <dt>{t('incidents.errorType')}</dt>
                    <dd>
                      {t(`incidents.types.${i.incidentType}`, { defaultValue: i.incidentType })}
                    </dd>
                    <dt>{t('incidents.message')}</dt>
                    <dd>
                      <pre className="error-message">{i.errorMessage}</pre>
                    </dd>
                    <dt>{t('incidents.key')}</dt>
                    <dd>
                      <code>{i.id}</code>
                    </dd>
                  </dl>
                </td>
                <td>
                  <code>{i.elementId}</code>
                </td>
                <td>
                  {i.bpmnProcessId
                    ? t(`processes.${i.bpmnProcessId}`, { defaultValue: i.bpmnProcessId })
                    : '—'}
                </td>
                <td>
                  <Link to={`/operator/instances/${i.processInstanceId}`}>
                    <code>{i.processInstanceId}</code>
                  </Link>
                </td>
                <td>{instant(i.createdAt)}</td>
                {state === 'active' && (
                  <td>
                    <IncidentActions incidentId={i.id} onDone={done} />
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && page.total > 0 && (
        <Pager
          total={page.total}
          limit={page.limit}
          offset={page.offset}
          onChange={(o) => update({ offset: String(o) })}
        />
      )}
    </section>
  );
}
