import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useBodies } from '../bodies';
import { api } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import { formatDate, formatDateTime } from '../i18n';
import { useSession } from '../session';
import type { CaseFile, CaseRow as Row } from '../../contracts';
import { RemainingDays, show, useCaseName, useCategoryName } from './common';
import { DecisionForm } from './DecisionForm';
import { personName, useWords } from './describe';

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
  const label = t('case.previewOf', {
    kind: t(`documentKinds.${String(doc.kind)}`, { defaultValue: String(doc.kind) }),
  });
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

/** A reviewer's view of one task's case: the file on the left, the decision beside it. */
export function CaseView() {
  const { t, i18n } = useTranslation('reviewer');
  const { bodyName } = useBodies();
  const { taskId = '' } = useParams();
  const { user } = useSession();
  const caseName = useCaseName();
  const categoryName = useCategoryName();
  const w = useWords();
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
  const name =
    personName(file.applicant.name) ??
    (file.applicant.notInRegistry ? t('case.notInRegistry') : null);
  const failed = file.checks.filter((c) => c.passed === false);
  const docKind = (k: unknown) => w.word('documentKinds', String(k));
  const maritalStatus = file.case.maritalStatus;

  return (
    <article aria-labelledby="case-title" className="case-view">
      <p>
        <Link to="/reviewer">← {t('case.back')}</Link>
      </p>
      <header className="case-header">
        <h1 id="case-title" ref={heading} tabIndex={-1}>
          {t('case.title', { name: caseName(task) })}
        </h1>
        <p>
          {t(`processes.${task.bpmnProcessId}`, { defaultValue: task.bpmnProcessId })} ·{' '}
          {bodyName(task.body)} · {categoryName(task.category)}
        </p>
        <p className="applicant-line" data-testid="applicant-line">
          <strong>{name ?? t('case.notYetChecked')}</strong>
          {' · '}
          {t('case.fin')} {file.applicant.fin ?? '—'}
          {file.applicant.birthDate && (
            <>
              {' · '}
              {t('case.birthDate')}: {w.birth(file.applicant.birthDate)}
            </>
          )}
        </p>
        {file.checks.length > 0 && (
          <p
            className={failed.length ? 'check-summary failed' : 'check-summary passed'}
            data-testid="check-summary"
          >
            {failed.length
              ? t('case.failedChecks', { count: failed.length })
              : t('case.allChecksPassed')}
          </p>
        )}
      </header>

      <div className="case-layout">
        <div className="case-main">
          <section aria-labelledby="h-checks">
            <h2 id="h-checks">{t('case.checks')}</h2>
            {file.checks.length === 0 ? (
              <p>{t('case.none')}</p>
            ) : (
              <ul className="checks">
                {file.checks.map((c) => (
                  <li
                    key={c.name}
                    className={c.passed === false ? 'check failed' : 'check'}
                    data-check={c.name}
                  >
                    <h3>
                      <span className="check-mark" aria-hidden="true">
                        {c.passed === false ? '✗' : c.passed ? '✓' : '•'}
                      </span>{' '}
                      {w.word('checkNames', c.name)}
                    </h3>
                    <p className="check-sentence">{w.checkSentence(c)}</p>
                    {c.ground && (
                      <p className="check-ground">
                        {w.groundText(c.ground)} <cite>({c.ground.citation})</cite>
                      </p>
                    )}
                    {!c.ground && c.legalGround && (
                      <p className="check-ground">
                        <cite>{t('decision.citation', { citation: c.legalGround })}</cite>
                      </p>
                    )}
                    {c.sources.length > 0 && (
                      <p className="check-sources">
                        {t('case.sources')}:{' '}
                        {c.sources.map((s) => t(`sources.${s}`, { defaultValue: s })).join(', ')}
                      </p>
                    )}
                    <details>
                      <summary>{t('case.rawDetail')}</summary>
                      <pre>{JSON.stringify(c.detail, null, 2)}</pre>
                    </details>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section aria-labelledby="h-applicant">
            <h2 id="h-applicant">{t('case.applicant')}</h2>
            <dl className="facts">
              <dt>{t('case.name')}</dt>
              <dd>{name ?? t('case.notYetChecked')}</dd>
              <dt>{t('case.fin')}</dt>
              <dd>{file.applicant.fin ?? '—'}</dd>
              <dt>{t('case.birthDate')}</dt>
              <dd>{w.birth(file.applicant.birthDate)}</dd>
              {Object.entries(file.applicant.details).map(([k, v]) => (
                <div key={k} className="fact">
                  <dt>{t(`fields.${k}`, { defaultValue: k })}</dt>
                  <dd data-field-value={k}>{w.fieldValue(k, v)}</dd>
                </div>
              ))}
            </dl>
            <h3>{t('case.family')}</h3>
            {typeof maritalStatus === 'string' && (
              <p>
                {t('case.maritalStatus')}: {w.word('maritalStatus', maritalStatus)}
              </p>
            )}
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
                      <td>{w.word('relations', m.relation as string)}</td>
                      <td>{show(m.fin ?? m.foreign)}</td>
                      <td>{typeof m.birthDate === 'string' ? formatDate(m.birthDate) : '—'}</td>
                      <td>
                        {typeof m.adult === 'boolean'
                          ? m.adult
                            ? t('case.yes')
                            : t('case.no')
                          : '—'}
                      </td>
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
                        <td>{docKind(d.kind)}</td>
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
                              {open === id ? t('case.hide') : t('case.show')} — {docKind(d.kind)}
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
                        {i18n.language === 'en' ? d.groundTextEn : d.groundTextAz}{' '}
                        <cite>({d.citation})</cite>
                      </td>
                      <td>{d.reason}</td>
                      <td>
                        {d.items
                          .map(
                            (x) =>
                              `${x.target === 'document' ? docKind(x.name) : t(`fields.${x.name}`, { defaultValue: x.name })}: ${x.comment}`,
                          )
                          .join('; ') || '—'}
                      </td>
                      <td>{w.actor(d.decidedBy, d.decidedByName)}</td>
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
                          <td>
                            {Array.isArray(r.items)
                              ? (r.items as { target?: string; name?: string; comment?: string }[])
                                  .map(
                                    (x) =>
                                      `${x.target === 'document' ? docKind(x.name) : t(`fields.${x.name ?? ''}`, { defaultValue: x.name ?? '' })}: ${x.comment ?? ''}`,
                                  )
                                  .join('; ')
                              : show(r.items)}
                          </td>
                          <td>{typeof r.dueDate === 'string' ? formatDate(r.dueDate) : '—'}</td>
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
                  <th scope="col">{t('case.citation')}</th>
                  <th scope="col">{t('case.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {file.audit.map((e, i) => (
                  <tr key={i}>
                    <td>{formatDateTime(e.at)}</td>
                    <td>{w.actor(e.actor, e.actorName)}</td>
                    <td>{w.word('auditActions', e.action)}</td>
                    <td>{e.legalGround ?? '—'}</td>
                    <td>{e.reason ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </div>

        <aside className="case-aside" aria-label={t('decision.title')}>
          <section className="panel" aria-labelledby="h-deadline">
            <h2 id="h-deadline">{t('case.deadline')}</h2>
            <dl className="facts">
              <dt>{t('case.dueDate')}</dt>
              <dd>
                {formatDate(task.deadline.dueAt)} (
                <RemainingDays days={task.remainingWorkingDays} />)
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
              <dd>{task.assigneeName ?? task.assignee ?? '—'}</dd>
            </dl>
            {claimable && (
              <button type="button" onClick={() => void claim()}>
                {t('inbox.claim')}
              </button>
            )}
          </section>
          {!task.completedAt &&
            (task.assignee === null || task.assignee === user?.id ? (
              <DecisionForm file={file} />
            ) : (
              <p>{t('case.assignedToOther', { assignee: task.assigneeName ?? task.assignee })}</p>
            ))}
        </aside>
      </div>
    </article>
  );
}
