import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { useBodies } from '../bodies';
import { api, ApiError, query } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { Pager } from '../components/Pager';
import { formatDate } from '../i18n';
import { useSession } from '../session';
import {
  CATEGORIES,
  FieldError,
  fieldInvalid,
  PROCESSES,
  RemainingDays,
  useCaseName,
  useCategoryName,
} from './common';
import { personName } from './describe';
import type { InboxCounts, InboxPage, ReassignRequest } from '../../contracts';

interface Filters {
  process: string;
  body: string;
  category: string;
  assignedToMe: boolean;
  unassigned: boolean;
  overdue: boolean;
  dueWithin: string;
  sort: 'due-asc' | 'due-desc' | 'created-desc';
}

const NO_FILTERS: Filters = {
  process: '',
  body: '',
  category: '',
  assignedToMe: false,
  unassigned: false,
  overdue: false,
  dueWithin: '',
  sort: 'due-asc',
};
const LIMIT = 20;

/** Each count is a link to the tasks it counts (?show=…): the filters that select them. */
const COUNT_FILTERS: Record<keyof InboxCounts, Partial<Filters>> = {
  total: {},
  overdue: { overdue: true },
  dueWithin3: { dueWithin: '3' },
  unassigned: { unassigned: true },
  assignedToMe: { assignedToMe: true },
};
const isCount = (v: string | null): v is keyof InboxCounts => !!v && v in COUNT_FILTERS;

/** The reviewer's inbox: open tasks of their bodies with filters, counts, claim and reassign. */
export function Inbox() {
  const { t } = useTranslation('reviewer');
  const { bodyName } = useBodies();
  const { user, has } = useSession();
  const [params] = useSearchParams();
  const shown = params.get('show');
  const location = useLocation();
  const navigate = useNavigate();
  const caseName = useCaseName();
  const categoryName = useCategoryName();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<InboxPage>();
  const [error, setError] = useState<unknown>();
  const [actionError, setActionError] = useState<{ taskId: string; error: unknown }>();
  const [status, setStatus] = useState<string | undefined>(
    (location.state as { confirmation?: string } | null)?.confirmation,
  );
  const [reassignTo, setReassignTo] = useState<Record<string, string>>({});
  const statusRef = useRef<HTMLParagraphElement>(null);
  const supervisor = has('supervisor');

  // A confirmation handed over by the decision form is shown once and focused (run on mount).
  const handedOver = useRef(status);
  useEffect(() => {
    if (!handedOver.current) return;
    handedOver.current = undefined;
    statusRef.current?.focus();
    void navigate('.', { replace: true, state: null });
  }, [navigate]);

  const load = useCallback(async () => {
    const [sort, order] = filters.sort.split('-') as [string, string];
    try {
      const res = await api<InboxPage>(
        `/api/v1/review-tasks${query({
          process: filters.process,
          body: filters.body,
          category: filters.category,
          assignedToMe: filters.assignedToMe,
          unassigned: filters.unassigned,
          overdue: filters.overdue,
          dueWithin: filters.dueWithin,
          sort,
          order,
          limit: LIMIT,
          offset,
        })}`,
      );
      setPage(res);
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  }, [filters, offset]);

  useEffect(() => {
    void load();
  }, [load]);

  const change = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setOffset(0);
  };

  // A count's link (?show=overdue …) selects exactly the tasks it counts.
  useEffect(() => {
    if (!isCount(shown)) return;
    setFilters({ ...NO_FILTERS, ...COUNT_FILTERS[shown] });
    setOffset(0);
  }, [shown]);

  const act = async (taskId: string, path: string, message: string, body: unknown = {}) => {
    try {
      await api(`/api/v1/review-tasks/${taskId}/${path}`, { method: 'POST', body });
      setActionError(undefined);
      setStatus(message);
      await load();
      statusRef.current?.focus();
    } catch (err) {
      setActionError({ taskId, error: err });
    }
  };

  const filterError = error instanceof ApiError && error.problem.status === 400 ? error : undefined;

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t('inbox.title')}</h1>
      <p ref={statusRef} tabIndex={-1} role="status" className="confirmation">
        {status}
      </p>

      <form
        className="filters"
        aria-label={t('inbox.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <div className="filter-fields">
          <label>
            {t('inbox.process')}
            <select value={filters.process} onChange={(e) => change({ process: e.target.value })}>
              <option value="">{t('inbox.any')}</option>
              {PROCESSES.map((p) => (
                <option key={p} value={p}>
                  {t(`processes.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('inbox.body')}
            <select
              value={filters.body}
              onChange={(e) => change({ body: e.target.value })}
              aria-invalid={fieldInvalid(filterError, 'body')}
              aria-describedby="err-body"
            >
              <option value="">{t('inbox.any')}</option>
              {(user?.bodies ?? []).map((b) => (
                <option key={b} value={b}>
                  {bodyName(b)}
                </option>
              ))}
            </select>
            <FieldError id="err-body" error={filterError} field="body" />
          </label>
          <label>
            {t('inbox.category')}
            <select
              value={filters.category}
              onChange={(e) => change({ category: e.target.value })}
              aria-invalid={fieldInvalid(filterError, 'category')}
              aria-describedby="err-category"
            >
              <option value="">{t('inbox.any')}</option>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryName(c)}
                </option>
              ))}
            </select>
            <FieldError id="err-category" error={filterError} field="category" />
          </label>
          <label>
            {t('inbox.dueWithin')}
            <input
              type="number"
              min={0}
              max={60}
              inputMode="numeric"
              value={filters.dueWithin}
              onChange={(e) => change({ dueWithin: e.target.value })}
              aria-invalid={fieldInvalid(filterError, 'dueWithin')}
              aria-describedby="err-dueWithin"
            />
            <FieldError id="err-dueWithin" error={filterError} field="dueWithin" />
          </label>
          <label>
            {t('inbox.sort')}
            <select
              value={filters.sort}
              onChange={(e) => change({ sort: e.target.value as Filters['sort'] })}
            >
              <option value="due-asc">{t('inbox.sortDueAsc')}</option>
              <option value="due-desc">{t('inbox.sortDueDesc')}</option>
              <option value="created-desc">{t('inbox.sortCreatedDesc')}</option>
            </select>
          </label>
        </div>
        <div className="filter-toggles">
          <label className="check">
            <input
              type="checkbox"
              checked={filters.assignedToMe}
              onChange={(e) => change({ assignedToMe: e.target.checked })}
            />
            {t('inbox.assignedToMe')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={filters.unassigned}
              onChange={(e) => change({ unassigned: e.target.checked })}
            />
            {t('inbox.unassigned')}
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={filters.overdue}
              onChange={(e) => change({ overdue: e.target.checked })}
            />
            {t('inbox.overdue')}
          </label>
          <button
            type="button"
            className="reset"
            onClick={() => {
              change(NO_FILTERS);
              if (shown) void navigate('.', { replace: true });
            }}
          >
            {t('inbox.reset')}
          </button>
        </div>
      </form>

      {error && !filterError ? <ErrorBox error={error} /> : null}

      {page && (
        <nav aria-label={t('inbox.counts')}>
          <ul className="counts">
            {(
              [
                ['total', 'inbox.total'],
                ['overdue', 'inbox.countOverdue'],
                ['dueWithin3', 'inbox.countDueWithin3'],
                ['unassigned', 'inbox.countUnassigned'],
                ['assignedToMe', 'inbox.countAssignedToMe'],
              ] as const
            ).map(([k, label]) => (
              <li key={k}>
                <Link
                  to={`?show=${k}`}
                  data-count={k}
                  aria-current={shown === k ? 'true' : undefined}
                  onClick={() => change({ ...NO_FILTERS, ...COUNT_FILTERS[k] })}
                >
                  <span className="count-label">{t(label)}</span>
                  <strong className="count-n">{page.counts[k]}</strong>
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      )}

      {page && page.tasks.length === 0 && <p>{t('inbox.empty')}</p>}
      {page && page.tasks.length > 0 && (
        <table>
          <caption>{t('inbox.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('inbox.case')}</th>
              <th scope="col">{t('inbox.applicant')}</th>
              <th scope="col">{t('inbox.process')}</th>
              <th scope="col">{t('inbox.category')}</th>
              <th scope="col">{t('inbox.body')}</th>
              <th scope="col">{t('inbox.due')}</th>
              <th scope="col">{t('inbox.remaining')}</th>
              <th scope="col">{t('inbox.assignee')}</th>
              <th scope="col">{t('inbox.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {page.tasks.map((task) => {
              const mine = task.assignee === user?.id;
              const rowError = actionError?.taskId === task.taskId ? actionError.error : undefined;
              return (
                <tr key={task.taskId} data-task-id={task.taskId}>
                  <th scope="row">
                    <Link to={`/reviewer/tasks/${task.taskId}`}>{caseName(task)}</Link>
                    {task.failedChecks > 0 && (
                      <span className="failed-mark" data-testid="failed-mark">
                        <span aria-hidden="true">✗ </span>
                        {t('case.failedChecks', { count: task.failedChecks })}
                      </span>
                    )}
                  </th>
                  <td data-testid="applicant">
                    {personName(task.applicantName) ??
                      (task.applicantNotInRegistry ? t('case.notInRegistry') : '—')}
                  </td>
                  <td>
                    {t(`processes.${task.bpmnProcessId}`, { defaultValue: task.bpmnProcessId })}
                  </td>
                  <td>{categoryName(task.category)}</td>
                  <td>{bodyName(task.body)}</td>
                  <td>{formatDate(task.dueAt)}</td>
                  <td>
                    <RemainingDays days={task.remainingWorkingDays} />
                  </td>
                  <td>{task.assigneeName ?? task.assignee ?? t('inbox.nobody')}</td>
                  <td className="actions">
                    {!task.assignee && (
                      <button
                        type="button"
                        onClick={() => void act(task.taskId, 'claim', t('inbox.claimed'))}
                      >
                        {t('inbox.claim')}
                      </button>
                    )}
                    {mine && (
                      <button
                        type="button"
                        onClick={() => void act(task.taskId, 'unclaim', t('inbox.released'))}
                      >
                        {t('inbox.release')}
                      </button>
                    )}
                    {supervisor && (
                      <form
                        className="inline-form"
                        onSubmit={(e) => {
                          e.preventDefault();
                          const assignee = (reassignTo[task.taskId] ?? '').trim();
                          const body: ReassignRequest = { assignee };
                          void act(
                            task.taskId,
                            'reassign',
                            t('inbox.reassigned', { assignee }),
                            body,
                          );
                        }}
                      >
                        <label>
                          {t('inbox.reassignTo')}
                          <input
                            value={reassignTo[task.taskId] ?? ''}
                            onChange={(e) =>
                              setReassignTo((r) => ({ ...r, [task.taskId]: e.target.value }))
                            }
                            aria-invalid={fieldInvalid(rowError, 'assignee')}
                            aria-describedby={`err-assignee-${task.taskId}`}
                          />
                          <FieldError
                            id={`err-assignee-${task.taskId}`}
                            error={rowError}
                            field="assignee"
                          />
                        </label>
                        <button type="submit">{t('inbox.reassign')}</button>
                      </form>
                    )}
                    {rowError && !fieldInvalid(rowError, 'assignee') ? (
                      <ErrorBox error={rowError} />
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {page && (
        <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={setOffset} />
      )}
    </section>
  );
}
