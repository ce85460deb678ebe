import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../api';
import { ErrorBox } from '../components/ErrorBox';

interface Announcement {
  id: string;
  status: string;
  selectionStartsOn: string;
  selectionEndsOn: string;
  content: { buildingAddress?: string };
  apartments: { free: number; selected: number; sold: number; released: number };
}
interface Holder {
  selectionId: string;
  position: number;
  dueCode: string | null;
  dueOn: string | null;
  /** 003 §6.1: the notice's due day, and when its delivery was found unconfirmed then */
  noticeDueOn: string | null;
  noticeOverdueAt: string | null;
}
interface Apartment {
  id: string;
  building: string;
  number: string;
  rooms: number;
  floor: number;
  priceQepik: number;
  state: string;
  holders: Holder[] | null;
}

const GROUNDS = ['not-satisfied', 'grant-revoked', 'holder-refused', 'distortion-court'] as const;
const BASE = '/api/v1/officer/mida';

/** A selected apartment's applicant: a reasoned cancellation with its point (003 §5.9, §6.5.1). */
function CancelForm({ apt, onDone }: { apt: Apartment; onDone(ground: string): void }) {
  const { t } = useTranslation('mida');
  const applicant = apt.holders?.find((h) => h.position === 0);
  const [ground, setGround] = useState<string>(GROUNDS[0]);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  if (!applicant) return null;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const r = await api<{ ground: string }>(
        `${BASE}/selections/${applicant.selectionId}/cancel`,
        {
          body: { ground, reason },
        },
      );
      onDone(r.ground);
    } catch (err) {
      setError(err);
    }
  };
  const title = t('cancel.title', { number: `${apt.building}-${apt.number}` });
  const reasonError = error instanceof ApiError ? error.field('reason') : undefined;
  return (
    <form aria-label={title} onSubmit={(e) => void submit(e)}>
      <label htmlFor={`ground-${apt.id}`}>{t('cancel.ground')}</label>
      <select id={`ground-${apt.id}`} value={ground} onChange={(e) => setGround(e.target.value)}>
        {GROUNDS.map((g) => (
          <option key={g} value={g}>
            {t(`grounds.${g}`)}
          </option>
        ))}
      </select>
      <label htmlFor={`reason-${apt.id}`}>{t('cancel.reason')}</label>
      <textarea
        id={`reason-${apt.id}`}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        aria-invalid={!!reasonError}
      />
      {reasonError && <span role="alert">{reasonError}</span>}
      <button type="submit">{t('cancel.submit')}</button>
      {!reasonError && <ErrorBox error={error} />}
    </form>
  );
}

function StateCell({ a }: { a: Apartment }) {
  const { t } = useTranslation('mida');
  const waiting = (a.holders ?? []).filter((h) => h.position > 0).length;
  const base = t(`states.${a.state}`);
  return (
    <td data-state={a.state}>
      {waiting > 0 ? `${base}; ${t('states.waiting', { n: waiting })}` : base}
    </td>
  );
}

/** Announcements, apartments with their state (free / selected / waiting 1–2 / sold) and deadlines. */
export function AnnouncementsPage() {
  const { t } = useTranslation('mida');
  const [items, setItems] = useState<Announcement[]>();
  const [open, setOpen] = useState<string>();
  const [apartments, setApartments] = useState<Apartment[]>();
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();

  const load = useCallback(() => {
    api<{ items: Announcement[] }>(`${BASE}/announcements`)
      .then((r) => setItems(r.items))
      .catch(setError);
  }, []);
  const loadApartments = useCallback((id: string) => {
    api<{ items: Apartment[] }>(`${BASE}/announcements/${id}/apartments?limit=500`)
      .then((r) => setApartments(r.items))
      .catch(setError);
  }, []);
  useEffect(load, [load]);
  useEffect(() => {
    if (open) loadApartments(open);
  }, [open, loadApartments]);

  return (
    <section aria-labelledby="mida-title">
      <h1 id="mida-title">{t('title')}</h1>
      <ErrorBox error={error} />
      {notice && <p role="status">{notice}</p>}
      {items && items.length === 0 && <p>{t('announcements.empty')}</p>}
      {items && items.length > 0 && (
        <table aria-label={t('announcements.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('announcements.address')}</th>
              <th scope="col">{t('announcements.status')}</th>
              <th scope="col">{t('announcements.selection')}</th>
              <th scope="col">{t('announcements.counts')}</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-announcement={a.id}>
                <th scope="row">{a.content.buildingAddress}</th>
                <td>{t(`statuses.${a.status}`)}</td>
                <td>
                  {a.selectionStartsOn} – {a.selectionEndsOn}
                </td>
                <td>
                  {a.apartments.free} / {a.apartments.selected} / {a.apartments.sold} /{' '}
                  {a.apartments.released}
                </td>
                <td>
                  <button type="button" onClick={() => setOpen(a.id)}>
                    {t('announcements.open')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && apartments && (
        <table aria-label={t('apartments.caption')}>
          <thead>
            <tr>
              <th scope="col">{t('apartments.number')}</th>
              <th scope="col">{t('apartments.rooms')}</th>
              <th scope="col">{t('apartments.floor')}</th>
              <th scope="col">{t('apartments.price')}</th>
              <th scope="col">{t('apartments.state')}</th>
              <th scope="col">{t('apartments.deadline')}</th>
              <th scope="col">{t('apartments.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {apartments.map((a) => {
              const applicant = a.holders?.find((h) => h.position === 0);
              return (
                <tr key={a.id} data-apartment={`${a.building}-${a.number}`}>
                  <th scope="row">
                    {a.building}-{a.number}
                  </th>
                  <td>{a.rooms}</td>
                  <td>{a.floor}</td>
                  <td>{(a.priceQepik / 100).toLocaleString('az-AZ')}</td>
                  <StateCell a={a} />
                  <td>
                    {applicant?.dueOn ?? ''}
                    {applicant?.noticeOverdueAt && (
                      <strong className="overdue" data-notice-overdue="">
                        {' '}
                        {t('apartments.noticeOverdue', { dueOn: applicant.noticeDueOn })}
                      </strong>
                    )}
                  </td>
                  <td>
                    <CancelForm
                      apt={a}
                      onDone={(ground) => {
                        setNotice(t('cancel.done', { ground }));
                        loadApartments(open);
                        load();
                      }}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
