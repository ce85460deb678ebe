import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { civilDateToLocal, datePlaceholder, localToCivilDate } from '../dates';
import { api, query } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Pager } from '../components/Pager';
import { instant } from './format';
import { FieldError, invalidProps, unplaced } from './FieldError';
import type { InstanceSummary, Page } from '../../contracts';
import { PROCESS_IDS } from './choices';

const LIMIT = 20;
const FIELDS = [
  'q',
  'process',
  'version',
  'state',
  'startedFrom',
  'startedTo',
  'endedFrom',
  'endedTo',
] as const;
type Field = (typeof FIELDS)[number];
const DATE_FIELDS: Field[] = ['startedFrom', 'startedTo', 'endedFrom', 'endedTo'];

export function InstancesPage() {
  const { t, i18n } = useTranslation('operator');
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [page, setPage] = useState<Page<InstanceSummary>>();
  const [error, setError] = useState<unknown>();
  const offset = Number(params.get('offset')) || 0;
  const search = params.toString();

  useEffect(() => {
    const ctl = new AbortController();
    const q: Record<string, string | number> = { limit: LIMIT, offset };
    for (const f of FIELDS) {
      const v = params.get(f);
      if (v) q[f] = v; // dates are Baku days; the API takes them as they are
    }
    setError(undefined);
    api<Page<InstanceSummary>>(`/api/v1/operator/process-instances${query(q)}`, {
      signal: ctl.signal,
    })
      .then(setPage)
      .catch((e) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [search]);

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of FIELDS) {
      const raw = String(f.get(k) ?? '').trim();
      const v = DATE_FIELDS.includes(k) ? localToCivilDate(raw) : raw;
      if (v) next.set(k, v);
    }
    setParams(next);
  };
  // dates typed as the language writes them (dd.mm.yyyy in Azerbaijani), sent as ISO dates
  const isDate = (k: Field) => DATE_FIELDS.includes(k);
  const input = (k: Field, type = 'text', list?: string) => (
    <label htmlFor={`instances-${k}`} key={k}>
      {t(`instances.${k}`)}
      <input
        id={`instances-${k}`}
        name={k}
        type={type}
        list={list}
        {...(isDate(k)
          ? { inputMode: 'numeric' as const, placeholder: datePlaceholder(i18n.language) }
          : {})}
        defaultValue={
          isDate(k) ? civilDateToLocal(params.get(k) ?? '', i18n.language) : (params.get(k) ?? '')
        }
        {...(type === 'number' ? { min: 1 } : {})}
        {...invalidProps(error, k, `instances-${k}`)}
      />
      <FieldError error={error} field={k} id={`instances-${k}`} />
    </label>
  );
  const select = (k: 'state', options: { value: string; label: string }[]) => (
    <label htmlFor={`instances-${k}`}>
      {t(`instances.${k}`)}
      <select
        id={`instances-${k}`}
        name={k}
        defaultValue={params.get(k) ?? ''}
        {...invalidProps(error, k, `instances-${k}`)}
      >
        <option value="">{t('any')}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldError error={error} field={k} id={`instances-${k}`} />
    </label>
  );

  return (
    <section aria-labelledby="instances-title">
      <h1 id="instances-title">{t('instances.title')}</h1>
      <form
        className="filters"
        role="search"
        aria-label={t('instances.search')}
        onSubmit={submit}
        key={search}
      >
        {input('q')}
        {input('process', 'text', 'process-ids')}
        <datalist id="process-ids">
          {PROCESS_IDS.map((p) => (
            <option key={p} value={p}>
              {t(`processes.${p}`)}
            </option>
          ))}
        </datalist>
        {input('version', 'number')}
        {select(
          'state',
          (['active', 'incident', 'completed', 'cancelled'] as const).map((s) => ({
            value: s,
            label: t(`states.${s}`),
          })),
        )}
        {DATE_FIELDS.map((f) => input(f))}
        <button type="submit" className="primary">
          {tc('search')}
        </button>
        <button type="button" onClick={() => setParams(new URLSearchParams())}>
          {tc('reset')}
        </button>
      </form>
      <ErrorBox error={unplaced(error, [...FIELDS])} />
      <h2 id="instances-results">{t('instances.results')}</h2>
      {page && page.items.length === 0 && <p>{t('instances.empty')}</p>}
      {page && page.items.length > 0 && (
        <table aria-labelledby="instances-results" data-testid="instances">
          <thead>
            <tr>
              <th scope="col">{t('instances.key')}</th>
              <th scope="col">{t('instances.businessKey')}</th>
              <th scope="col">{t('instances.applicant')}</th>
              <th scope="col">{t('instances.process')}</th>
              <th scope="col">{t('instances.version')}</th>
              <th scope="col">{t('instances.state')}</th>
              <th scope="col">{t('instances.startedAt')}</th>
              <th scope="col">{t('instances.endedAt')}</th>
              <th scope="col">{t('instances.incidents')}</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((i) => (
              <tr key={i.id} data-instance={i.id}>
                <td>
                  <Link
                    to={`/operator/instances/${i.id}`}
                    aria-label={t('instances.open', { key: i.id })}
                  >
                    <code>{i.id}</code>
                  </Link>
                </td>
                <td>
                  {i.registrationNumber != null ? (
                    t('instances.applicationNo', { n: i.registrationNumber })
                  ) : (
                    <code className="uuid">{i.caseId ?? i.businessKey ?? '—'}</code>
                  )}
                </td>
                <td>
                  {i.applicantName
                    ? [
                        i.applicantName.lastName,
                        i.applicantName.firstName,
                        i.applicantName.patronymic,
                      ]
                        .filter(Boolean)
                        .join(' ')
                    : '—'}
                </td>
                <td>{t(`processes.${i.bpmnProcessId}`, { defaultValue: i.bpmnProcessId })}</td>
                <td>{i.version}</td>
                <td className={`state state-${i.state}`}>{t(`states.${i.state}`)}</td>
                <td>{instant(i.startedAt)}</td>
                <td>{instant(i.endedAt)}</td>
                <td className={i.incidentCount > 0 ? 'deadline-due' : undefined}>
                  {i.incidentCount}
                </td>
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
          onChange={(o) => {
            const p = new URLSearchParams(params);
            p.set('offset', String(o));
            setParams(p);
          }}
        />
      )}
    </section>
  );
}
