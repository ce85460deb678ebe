import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, query } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Pager } from '../components/Pager';
import type { MarkDelivered, NoticeDelivery, Page } from '../../contracts';
import { civilDay, instant } from './format';

const LIMIT = 20;
const STATES = ['overdue', 'open', 'paper', 'all'] as const;

/**
 * Delivery of decisions (Housing Code 51.6, 53.3, 55.2: within 3 working days): the overdue
 * ones, and the paper route for citizens with no address, which the operator marks delivered.
 */
export function DeliveriesPage() {
  const { t } = useTranslation('operator');
  const { t: tc } = useTranslation();
  const [params, setParams] = useSearchParams();
  const state = (STATES as readonly string[]).includes(params.get('state') ?? '')
    ? params.get('state')!
    : 'overdue';
  const offset = Number(params.get('offset')) || 0;
  const [page, setPage] = useState<Page<NoticeDelivery>>();
  const [error, setError] = useState<unknown>();
  const [markError, setMarkError] = useState<unknown>();
  const [message, setMessage] = useState('');

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setPage(
        await api<Page<NoticeDelivery>>(
          `/api/v1/operator/notice-deliveries${query({ state, limit: LIMIT, offset })}`,
        ),
      );
    } catch (err) {
      setError(err);
    }
  }, [state, offset]);
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
    update({ state: String(new FormData(e.currentTarget).get('state')), offset: '' });
  };
  const mark = async (e: FormEvent<HTMLFormElement>, id: string) => {
    e.preventDefault();
    setMarkError(undefined);
    const f = new FormData(e.currentTarget);
    const note = String(f.get('note') ?? '').trim();
    try {
      await api<NoticeDelivery>(`/api/v1/operator/notice-deliveries/${id}/delivered`, {
        method: 'POST',
        body: {
          deliveredOn: String(f.get('deliveredOn')),
          ...(note ? { note } : {}),
        } satisfies MarkDelivered,
      });
      setMessage(t('deliveries.marked'));
      void load();
    } catch (err) {
      setMarkError(err);
    }
  };

  const items = page?.items ?? [];
  return (
    <section aria-labelledby="deliveries-title">
      <h1 id="deliveries-title">{t('deliveries.title')}</h1>
      <p>{t('deliveries.intro')}</p>
      <form className="filters" onSubmit={filter}>
        <label htmlFor="deliveries-state">
          {t('deliveries.state')}
          <select id="deliveries-state" name="state" defaultValue={state} key={state}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`deliveries.states.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{tc('search')}</button>
      </form>
      <p role="status" aria-live="polite">
        {message}
      </p>
      <ErrorBox error={error} />
      <ErrorBox error={markError} />
      {page && items.length === 0 ? (
        <p>{t('deliveries.none')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{t('deliveries.caseId')}</th>
              <th scope="col">{t('deliveries.template')}</th>
              <th scope="col">{t('deliveries.route')}</th>
              <th scope="col">{t('deliveries.decidedOn')}</th>
              <th scope="col">{t('deliveries.dueDate')}</th>
              <th scope="col">{t('deliveries.citation')}</th>
              <th scope="col">{t('deliveries.delivered')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <tr key={d.id} className={d.overdue ? 'overdue' : undefined}>
                <td>
                  <code>{d.caseId}</code>
                </td>
                <td>{t(`deliveries.notices.${d.template}`, { defaultValue: d.template })}</td>
                <td>{t(`deliveries.routes.${d.route}`)}</td>
                <td>{d.decidedOn ? civilDay(d.decidedOn) : '—'}</td>
                <td>
                  {d.dueDate ? civilDay(d.dueDate) : '—'}
                  {d.overdue && <strong> — {t('deliveries.overdue')}</strong>}
                </td>
                <td>{d.citation ?? '—'}</td>
                <td>
                  {d.deliveredAt ? (
                    instant(d.deliveredAt)
                  ) : d.route === 'paper' ? (
                    <>
                      <details>
                        <summary>{t('deliveries.printable')}</summary>
                        <pre>{`${d.subject}\n\n${d.body}`}</pre>
                      </details>
                      <form onSubmit={(e) => void mark(e, d.id)}>
                        <label htmlFor={`delivered-on-${d.id}`}>
                          {t('deliveries.deliveredOn')}
                          <input
                            id={`delivered-on-${d.id}`}
                            name="deliveredOn"
                            type="date"
                            required
                          />
                        </label>
                        <label htmlFor={`note-${d.id}`}>
                          {t('deliveries.note')}
                          <input id={`note-${d.id}`} name="note" maxLength={500} />
                        </label>
                        <button type="submit">{t('deliveries.markDelivered')}</button>
                      </form>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page && (
        <Pager
          total={page.total}
          limit={page.limit}
          offset={page.offset}
          onChange={(o) => update({ offset: o ? String(o) : '' })}
        />
      )}
    </section>
  );
}
