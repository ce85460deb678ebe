import { useCallback, useEffect, useState, type FormEvent, type ReactElement } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, ApiError, query } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { civilDay, instant } from './format';
import { FieldError, invalidProps, unplaced } from './FieldError';
import type {
  CalendarAudit,
  CalendarAuditEntry,
  CalendarDay,
  CalendarDayKind,
  CalendarDayRequest,
  CalendarYearDays,
} from '../../contracts';
import { CALENDAR_DAY_KINDS } from './choices';

interface DayForm {
  date: string;
  kind: CalendarDayKind;
  nameAz: string;
  nameEn: string;
  sourceAz: string;
  sourceEn: string;
  provisional: boolean;
  reason: string;
}

const EMPTY: DayForm = {
  date: '',
  kind: 'holiday',
  nameAz: '',
  nameEn: '',
  sourceAz: '',
  sourceEn: '',
  provisional: false,
  reason: '',
};

/** Adds or changes one day (PUT /api/v1/calendar/days/:date); every API error next to its field. */
function DayEditor(props: {
  initial: DayForm;
  editing: boolean;
  onSaved(date: string): void;
  onCancel?(): void;
}) {
  const { t } = useTranslation('operator');
  const { t: tc } = useTranslation();
  const [form, setForm] = useState<DayForm>(props.initial);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  useEffect(() => setForm(props.initial), [props.initial]);

  const set = <K extends keyof DayForm>(k: K, v: DayForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (!form.date)
        throw new ApiError({
          title: 'Invalid input',
          status: 400,
          errors: [{ field: 'date', message: t('calendar.dateRequired') }],
        });
      await api(`/api/v1/calendar/days/${encodeURIComponent(form.date)}`, {
        method: 'PUT',
        body: {
          kind: form.kind,
          nameAz: form.nameAz,
          nameEn: form.nameEn,
          sourceAz: form.sourceAz,
          sourceEn: form.sourceEn,
          provisional: form.provisional,
          ...(form.reason.trim() ? { reason: form.reason } : {}),
        } satisfies CalendarDayRequest,
      });
      props.onSaved(form.date);
      if (!props.editing) setForm(EMPTY);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const id = props.editing ? 'edit-day' : 'new-day';
  const field = (name: keyof DayForm, label: string, input: ReactElement) => (
    <label htmlFor={`${id}-${name}`}>
      {label}
      {input}
      <FieldError error={error} field={name} id={`${id}-${name}`} />
    </label>
  );
  const text = (name: 'nameAz' | 'nameEn' | 'sourceAz' | 'sourceEn' | 'reason', label: string) =>
    field(
      name,
      label,
      <input
        id={`${id}-${name}`}
        value={form[name]}
        onChange={(e) => set(name, e.target.value)}
        {...invalidProps(error, name, `${id}-${name}`)}
      />,
    );

  return (
    <form className="panel filters" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="form-title">
        {props.editing ? t('calendar.editing', { date: civilDay(form.date) }) : t('calendar.add')}
      </h2>
      {field(
        'date',
        t('calendar.date'),
        <input
          id={`${id}-date`}
          type="date"
          value={form.date}
          disabled={props.editing}
          onChange={(e) => set('date', e.target.value)}
          {...invalidProps(error, 'date', `${id}-date`)}
        />,
      )}
      {field(
        'kind',
        t('calendar.kind'),
        <select
          id={`${id}-kind`}
          value={form.kind}
          onChange={(e) => set('kind', e.target.value as CalendarDayKind)}
          {...invalidProps(error, 'kind', `${id}-kind`)}
        >
          {CALENDAR_DAY_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`calendar.kinds.${k}`)}
            </option>
          ))}
        </select>,
      )}
      {text('nameAz', t('calendar.nameAz'))}
      {text('nameEn', t('calendar.nameEn'))}
      {text('sourceAz', t('calendar.sourceAz'))}
      {text('sourceEn', t('calendar.sourceEn'))}
      <label htmlFor={`${id}-provisional`} className="checkbox">
        <input
          id={`${id}-provisional`}
          type="checkbox"
          checked={form.provisional}
          onChange={(e) => set('provisional', e.target.checked)}
        />
        {t('calendar.provisional')}
      </label>
      {text('reason', t('calendar.reason'))}
      <button type="submit" className="primary" disabled={busy}>
        {tc('save')}
      </button>
      {props.onCancel && (
        <button type="button" onClick={props.onCancel}>
          {tc('cancel')}
        </button>
      )}
      <ErrorBox
        error={unplaced(error, [
          'date',
          'kind',
          'nameAz',
          'nameEn',
          'sourceAz',
          'sourceEn',
          'reason',
        ])}
      />
    </form>
  );
}

/** Remove one day with a reason (DELETE /api/v1/calendar/days/:date?reason=). */
function RemoveDay(props: { date: string; onRemoved(): void }) {
  const { t } = useTranslation('operator');
  const { t: tc } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<unknown>();
  const id = `remove-${props.date}`;
  if (!open)
    return (
      <button type="button" className="danger" onClick={() => setOpen(true)}>
        {t('calendar.remove')}
      </button>
    );
  const confirm = async () => {
    setError(undefined);
    try {
      await api(`/api/v1/calendar/days/${props.date}${query({ reason: reason.trim() })}`, {
        method: 'DELETE',
      });
      props.onRemoved();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div className="inline-form">
      <label htmlFor={`${id}-reason`}>
        {t('calendar.removeReason', { date: civilDay(props.date) })}
        <input
          id={`${id}-reason`}
          value={reason}
          autoFocus
          onChange={(e) => setReason(e.target.value)}
          {...invalidProps(error, 'reason', `${id}-reason`)}
        />
        <FieldError error={error} field="reason" id={`${id}-reason`} />
      </label>
      <button type="button" className="danger" onClick={() => void confirm()}>
        {t('calendar.confirmRemove')}
      </button>
      <button type="button" onClick={() => setOpen(false)}>
        {tc('cancel')}
      </button>
      <ErrorBox error={unplaced(error, ['reason'])} />
    </div>
  );
}

export function CalendarPage() {
  const { t, i18n } = useTranslation('operator');
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year')) || new Date().getFullYear();
  const [yearInput, setYearInput] = useState(String(year));
  const [data, setData] = useState<CalendarYearDays | null>();
  const [audit, setAudit] = useState<CalendarAuditEntry[]>([]);
  const [error, setError] = useState<unknown>();
  const [editing, setEditing] = useState<DayForm>();
  const [message, setMessage] = useState('');
  // the day's name and legal basis are data in both languages: the one of the screen is shown
  const english = i18n.language === 'en';

  const load = useCallback(async () => {
    setError(undefined);
    try {
      // both at once, so the list and its change log never disagree on screen
      const [days, log] = await Promise.all([
        api<CalendarYearDays>(`/api/v1/calendar/years/${year}/days`).catch((err) => {
          if (err instanceof ApiError && err.problem.status === 404) return null;
          throw err;
        }),
        api<CalendarAudit>(`/api/v1/calendar/audit${query({ year })}`),
      ]);
      setData(days);
      setAudit(log.entries);
    } catch (err) {
      setError(err);
    }
  }, [year]);

  useEffect(() => {
    setYearInput(String(year));
    void load();
  }, [year, load]);

  const pickYear = (e: FormEvent) => {
    e.preventDefault();
    setParams({ year: yearInput });
  };
  const yearError =
    yearInput !== '' && !/^\d{4}$/.test(yearInput)
      ? new ApiError({
          title: 'Invalid input',
          status: 400,
          errors: [{ field: 'year', message: 'YYYY' }],
        })
      : undefined;

  const done = (text: string) => {
    setMessage(text);
    setEditing(undefined);
    void load();
  };

  return (
    <section aria-labelledby="calendar-title">
      <h1 id="calendar-title">{t('calendar.title')}</h1>
      <form className="filters" onSubmit={pickYear}>
        <label htmlFor="calendar-year">
          {t('calendar.year')}
          <input
            id="calendar-year"
            inputMode="numeric"
            value={yearInput}
            onChange={(e) => setYearInput(e.target.value)}
            {...invalidProps(yearError, 'year', 'calendar-year')}
          />
          <FieldError error={yearError} field="year" id="calendar-year" />
        </label>
        <button type="submit" disabled={!!yearError}>
          {t('calendar.show')}
        </button>
      </form>
      <p role="status" aria-live="polite">
        {message}
      </p>
      <ErrorBox error={error} />
      {data === null && <p>{t('calendar.noData')}</p>}
      {data && <p>{data.complete ? t('calendar.complete') : t('calendar.incomplete')}</p>}
      {data && (
        <>
          <h2 id="calendar-days">{t('calendar.days')}</h2>
          <table aria-labelledby="calendar-days" data-testid="calendar-days">
            <thead>
              <tr>
                <th scope="col">{t('calendar.date')}</th>
                <th scope="col">{t('calendar.kind')}</th>
                <th scope="col">{english ? t('calendar.nameEn') : t('calendar.nameAz')}</th>
                <th scope="col">{t('calendar.source')}</th>
                <th scope="col">{t('calendar.updated')}</th>
                <th scope="col">{t('calendar.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {data.days.map((d: CalendarDay) => (
                <tr key={d.date} data-date={d.date}>
                  <th scope="row">
                    <time dateTime={d.date}>{civilDay(d.date)}</time>
                  </th>
                  <td>
                    {t(`calendar.kinds.${d.kind}`)}
                    {d.provisional && ` (${t('calendar.provisional')})`}
                  </td>
                  <td>{english ? d.nameEn : d.nameAz}</td>
                  <td>{english ? d.sourceEn : d.sourceAz}</td>
                  <td>
                    {instant(d.updatedAt)} — {d.updatedBy}
                  </td>
                  <td className="actions">
                    <button
                      type="button"
                      aria-label={`${t('calendar.edit')}: ${civilDay(d.date)}`}
                      onClick={() =>
                        setEditing({
                          date: d.date,
                          kind: d.kind,
                          nameAz: d.nameAz,
                          nameEn: d.nameEn,
                          sourceAz: d.sourceAz,
                          sourceEn: d.sourceEn,
                          provisional: d.provisional,
                          reason: '',
                        })
                      }
                    >
                      {t('calendar.edit')}
                    </button>
                    <RemoveDay
                      date={d.date}
                      onRemoved={() => done(t('calendar.removed', { date: civilDay(d.date) }))}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {editing && (
        <DayEditor
          key={editing.date}
          initial={editing}
          editing
          onSaved={(date) => done(t('calendar.changed', { date: civilDay(date) }))}
          onCancel={() => setEditing(undefined)}
        />
      )}
      <DayEditor
        initial={EMPTY}
        editing={false}
        onSaved={(date) =>
          done(
            t(data?.days.some((d) => d.date === date) ? 'calendar.changed' : 'calendar.added', {
              date: civilDay(date),
            }),
          )
        }
      />
      <h2 id="calendar-audit">{t('calendar.audit')}</h2>
      {audit.length === 0 ? (
        <p>{t('calendar.noAudit')}</p>
      ) : (
        <table aria-labelledby="calendar-audit" data-testid="calendar-audit">
          <thead>
            <tr>
              <th scope="col">{t('calendar.at')}</th>
              <th scope="col">{t('calendar.date')}</th>
              <th scope="col">{t('calendar.action')}</th>
              <th scope="col">{t('calendar.actor')}</th>
              <th scope="col">{t('calendar.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {audit.map((a) => (
              <tr key={a.id}>
                <td>{instant(a.at)}</td>
                <td>
                  <time dateTime={a.date}>{civilDay(a.date)}</time>
                </td>
                <td>{t(`calendar.actionNames.${a.action}`)}</td>
                <td>{a.actorName ?? a.actor}</td>
                <td>{a.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
