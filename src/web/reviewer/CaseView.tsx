import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, formatDateTime } from '../i18n';
import { useSession } from '../session';
import type { CaseFile, CaseRow as Row } from '../../contracts';
import { RemainingDays, show, useCaseName, useCategoryName } from './common';
import { DecisionForm } from './DecisionForm';

/** One document, fetched as a blob (the session cookie goes along) and shown inline. */
function DocumentPreview({ taskId, doc }: { taskId: string; doc: Row }) {
  const { t } = useTranslation('reviewer');
  const [url, setUrl] = useState<string>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let revoked = false;
    let made: string | undefined;
    fetch(`/api/v1/review-tasks/${taskId}/documents/${String(doc.id)}`, {
      credentials: 'same-origin',
    })
      .then(async (res) => {
        if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
        const blob = await res.blob();
        if (revoked) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch((err: unknown) => !revoked && setError(err));
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [taskId, doc.id]);
  const label = t('case.previewOf', { kind: String(doc.kind) });
  if (error) return <ErrorBox error={error} />;
  if (!url) return <p>…</p>;
  return (
    <figure className="doc-preview">
      {String(doc.contentType).startsWith('image/') ? (
        <img src={url} alt={label} />
      ) : (
        <object data={url} type="application/pdf" aria-label={label} width="100%" height="600">
          <a href={url}>{label}</a>
        </object>
      )}
      <figcaption>{label}</figcaption>
    </figure>
  );
}

/** A reviewer's view of one task's case, with the decision form. */
export function CaseView() {
  const { t } = useTranslation('reviewer');
  const { taskId = '' } = useParams();
  const { user } = useSession();
  const caseName = useCaseName();
  const categoryName = useCategoryName();
  const [file, setFile] = useState<CaseFile>();
  const [error, setError] = useState<unknown>();
  const [open, setOpen] = useState<string>();
  const heading = useRef<HTMLHeadingElement>(null);

  const load = useCallback(async () => {
    try {
      setFile(await api<CaseFile>(`/api/v1/review-tasks/${taskId}/case`));
      setError(undefined);
    } catch (err) {
      setError(err);
    }
  }, [taskId]);
  useEffect(() => {
    void load();
  }, [load]);
  const loaded = !!file;
  useEffect(() => {
    if (loaded) heading.current?.focus();
  }, [loaded]);

  if (error) return <ErrorBox error={error} />;
  if (!file) return <p>…</p>;
  const { task } = file;
  const claimable = !task.assignee && !task.completedAt;
  const claim = async () => {
    try {
      await api(`/api/v1/review-tasks/${taskId}/claim`, { method: 'POST', body: {} });
      await load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <article aria-labelledby="case-title" className="case-view">
      <p>
        <Link to="/reviewer">← {t('case.back')}</Link>
      </p>
      <h1 id="case-title" ref={heading} tabIndex={-1}>
        {t('case.title', { name: caseName(task) })}
      </h1>
      <p>
        {t(`processes.${task.bpmnProcessId}`, { defaultValue: task.bpmnProcessId })} · {task.body} ·{' '}
        {categoryName(task.category)}
      </p>

      <section className="panel" aria-labelledby="h-deadline">
        <h2 id="h-deadline">{t('case.deadline')}</h2>
        <dl className="facts">
          <dt>{t('case.dueDate')}</dt>
          <dd>
            {formatDate(task.deadline.dueAt)} (<RemainingDays days={task.remainingWorkingDays} />)
          </dd>
          <dt>{t('case.citation')}</dt>
          <dd data-testid="deadline-citation">{task.deadline.citation ?? '—'}</dd>
          <dt>{t('case.status')}</dt>
          <dd>
            {typeof file.case.status === 'string' && file.case.status
              ? t(`statuses.${file.case.status}`, { defaultValue: file.case.status })
              : '—'}
          </dd>
          <dt>{t('case.assignee')}</dt>
          <dd>{task.assignee ?? '—'}</dd>
        </dl>
        {claimable && (
          <button type="button" onClick={() => void claim()}>
            {t('inbox.claim')}
          </button>
        )}
      </section>

      <section aria-labelledby="h-applicant">
        <h2 id="h-applicant">{t('case.applicant')}</h2>
        <dl className="facts">
          <dt>{t('case.fin')}</dt>
          <dd>{file.applicant.fin ?? '—'}</dd>
          {Object.entries(file.applicant.details).map(([k, v]) => (
            <div key={k} className="fact">
              <dt>{t(`fields.${k}`, { defaultValue: k })}</dt>
              <dd>{show(v)}</dd>
            </div>
          ))}
        </dl>
        <h3>{t('case.family')}</h3>
        {file.family.length === 0 ? (
          <p>{t('case.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('case.relation')}</th>
                <th scope="col">{t('case.fin')}</th>
                <th scope="col">{t('case.birthDate')}</th>
                <th scope="col">{t('case.adult')}</th>
              </tr>
            </thead>
            <tbody>
              {file.family.map((m, i) => (
                <tr key={i}>
                  <td>{show(m.relation)}</td>
                  <td>{show(m.fin ?? m.foreign)}</td>
                  <td>{show(m.birthDate)}</td>
                  <td>{show(m.adult)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="h-documents">
        <h2 id="h-documents">{t('case.documents')}</h2>
        {file.documents.length === 0 ? (
          <p>{t('case.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('case.kind')}</th>
                <th scope="col">{t('case.type')}</th>
                <th scope="col">{t('case.issuer')}</th>
                <th scope="col">{t('case.uploaded')}</th>
                <th scope="col">{t('case.show')}</th>
              </tr>
            </thead>
            <tbody>
              {file.documents.map((d, i) => {
                const id = typeof d.id === 'string' ? d.id : undefined;
                return (
                  <tr key={id ?? i}>
                    <td>{show(d.kind)}</td>
                    <td>{show(d.contentType)}</td>
                    <td>{show(d.issuer)}</td>
                    <td>{formatDateTime((d.uploadedAt as string) ?? null)}</td>
                    <td>
                      {id ? (
                        <button
                          type="button"
                          aria-expanded={open === id}
                          aria-controls={`preview-${id}`}
                          onClick={() => setOpen(open === id ? undefined : id)}
                        >
                          {open === id ? t('case.hide') : t('case.show')} — {show(d.kind)}
                        </button>
                      ) : (
                        t('case.noContent')
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {open && (
          <div id={`preview-${open}`}>
            <DocumentPreview taskId={taskId} doc={file.documents.find((d) => d.id === open)!} />
          </div>
        )}
      </section>

      <section aria-labelledby="h-checks">
        <h2 id="h-checks">{t('case.checks')}</h2>
        {file.checks.length === 0 ? (
          <p>{t('case.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('case.check')}</th>
                <th scope="col">{t('case.result')}</th>
                <th scope="col">{t('case.ground')}</th>
                <th scope="col">{t('case.sources')}</th>
                <th scope="col">{t('case.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {file.checks.map((c) => (
                <tr key={c.name}>
                  <th scope="row">{c.name}</th>
                  <td className={c.passed === false ? 'deadline-due' : undefined}>
                    {c.passed === null
                      ? t('case.unknown')
                      : c.passed
                        ? t('case.passed')
                        : t('case.failed')}
                  </td>
                  <td>{c.legalGround ?? '—'}</td>
                  <td>
                    {c.sources.map((s) => t(`sources.${s}`, { defaultValue: s })).join(', ') || '—'}
                  </td>
                  <td className="detail">{show(c.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="h-decisions">
        <h2 id="h-decisions">{t('case.decisions')}</h2>
        {file.decisions.length === 0 ? (
          <p>{t('case.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('case.decidedAt')}</th>
                <th scope="col">{t('case.outcome')}</th>
                <th scope="col">{t('case.ground')}</th>
                <th scope="col">{t('case.reason')}</th>
                <th scope="col">{t('case.items')}</th>
                <th scope="col">{t('case.decidedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {file.decisions.map((d, i) => (
                <tr key={i}>
                  <td>{formatDateTime(d.decidedAt)}</td>
                  <td>{t(`decision.outcomes.${d.outcome}`, { defaultValue: d.outcome })}</td>
                  <td>
                    {d.legalGround} ({d.citation})
                  </td>
                  <td>{d.reason}</td>
                  <td>{d.items.map((x) => `${x.name}: ${x.comment}`).join('; ') || '—'}</td>
                  <td>{d.decidedBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {file.case.type === 'application' && (
          <>
            <h3>{t('case.rounds')}</h3>
            {file.discrepancyRounds.length === 0 ? (
              <p>{t('case.none')}</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('case.round')}</th>
                    <th scope="col">{t('case.items')}</th>
                    <th scope="col">{t('case.dueDate')}</th>
                    <th scope="col">{t('case.resubmitted')}</th>
                    <th scope="col">{t('case.lapsed')}</th>
                  </tr>
                </thead>
                <tbody>
                  {file.discrepancyRounds.map((r) => (
                    <tr key={String(r.round)}>
                      <td>{show(r.round)}</td>
                      <td>{show(r.items)}</td>
                      <td>{show(r.dueDate)}</td>
                      <td>{formatDateTime(r.resubmittedAt as string | null)}</td>
                      <td>{formatDateTime(r.lapsedAt as string | null)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </section>

      <section aria-labelledby="h-audit">
        <h2 id="h-audit">{t('case.audit')}</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">{t('case.at')}</th>
              <th scope="col">{t('case.actor')}</th>
              <th scope="col">{t('case.action')}</th>
              <th scope="col">{t('case.ground')}</th>
              <th scope="col">{t('case.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {file.audit.map((e, i) => (
              <tr key={i}>
                <td>{formatDateTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.legalGround ?? '—'}</td>
                <td>{e.reason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {!task.completedAt &&
        (task.assignee === null || task.assignee === user?.id ? (
          <DecisionForm file={file} />
        ) : (
          <p>{t('case.assignedToOther', { assignee: task.assignee })}</p>
        ))}
    </article>
  );
}
