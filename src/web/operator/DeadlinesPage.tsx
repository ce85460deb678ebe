import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { civilDay } from './format';
import type { DeadlineDashboard } from '../../contracts';

/** A count coloured by urgency: red when overdue or due today, amber when due soon, else plain. */
function Count({ n, tone }: { n: number; tone: 'due' | 'near' | 'plain' }) {
  const cls = n === 0 || tone === 'plain' ? 'count' : `count deadline-${tone}`;
  return (
    <td className={cls} data-count={n}>
      {n}
    </td>
  );
}

const sum = <T,>(rows: T[], f: (r: T) => number) => rows.reduce((a, r) => a + f(r), 0);

export function DeadlinesPage() {
  const { t } = useTranslation('operator');
  const [data, setData] = useState<DeadlineDashboard>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const ctl = new AbortController();
    api<DeadlineDashboard>('/api/v1/operator/deadlines', { signal: ctl.signal })
      .then(setData)
      .catch((e) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, []);

  const days = data?.dueSoonWorkingDays ?? 3;
  return (
    <section aria-labelledby="deadlines-title">
      <h1 id="deadlines-title">{t('deadlines.title')}</h1>
      <ErrorBox error={error} />
      {data && (
        <>
          <p>
            {t('deadlines.asOf', {
              today: civilDay(data.today),
              until: civilDay(data.dueSoonUntil),
              days,
            })}
          </p>
          <h2 id="by-process">{t('deadlines.byProcess')}</h2>
          {data.processes.length === 0 ? (
            <p>{t('deadlines.empty')}</p>
          ) : (
            <table aria-labelledby="by-process" data-testid="deadlines-by-process">
              <thead>
                <tr>
                  <th scope="col">{t('deadlines.process')}</th>
                  <th scope="col">{t('deadlines.open')}</th>
                  <th scope="col">{t('deadlines.overdue')}</th>
                  <th scope="col">{t('deadlines.dueToday')}</th>
                  <th scope="col">{t('deadlines.dueSoon', { days })}</th>
                </tr>
              </thead>
              <tbody>
                {data.processes.map((p) => (
                  <tr key={p.bpmnProcessId} data-process={p.bpmnProcessId}>
                    <th scope="row">
                      {t(`processes.${p.bpmnProcessId}`, { defaultValue: p.bpmnProcessId })}
                    </th>
                    <Count n={p.open} tone="plain" />
                    <Count n={p.overdue} tone="due" />
                    <Count n={p.dueToday} tone="due" />
                    <Count n={p.dueSoon} tone="near" />
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('deadlines.total')}</th>
                  <Count n={sum(data.processes, (p) => p.open)} tone="plain" />
                  <Count n={sum(data.processes, (p) => p.overdue)} tone="due" />
                  <Count n={sum(data.processes, (p) => p.dueToday)} tone="due" />
                  <Count n={sum(data.processes, (p) => p.dueSoon)} tone="near" />
                </tr>
              </tfoot>
            </table>
          )}
          <h2 id="by-body">{t('deadlines.byBody')}</h2>
          {data.bodies.length === 0 ? (
            <p>{t('deadlines.empty')}</p>
          ) : (
            <table aria-labelledby="by-body" data-testid="deadlines-by-body">
              <thead>
                <tr>
                  <th scope="col">{t('deadlines.body')}</th>
                  <th scope="col">{t('deadlines.open')}</th>
                  <th scope="col">{t('deadlines.assigned')}</th>
                  <th scope="col">{t('deadlines.unassigned')}</th>
                  <th scope="col">{t('deadlines.overdue')}</th>
                </tr>
              </thead>
              <tbody>
                {data.bodies.map((b) => (
                  <tr key={b.body} data-body={b.body}>
                    <th scope="row">{b.body}</th>
                    <Count n={b.open} tone="plain" />
                    <Count n={b.assigned} tone="plain" />
                    <Count n={b.unassigned} tone="near" />
                    <Count n={b.overdue} tone="due" />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
