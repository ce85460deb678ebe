import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ErrorBox } from '../components/ErrorBox';
import { formatDateTime } from '../i18n';
import type { ModelVersion, ProcessModel } from '../../contracts';
import { useProcessModels } from './models';

function LintStatus({ v }: { v: ModelVersion }) {
  const { t } = useTranslation('analyst');
  if (!v.lint) return <>{t('list.notKept')}</>;
  if (v.lint.errors === 0 && v.lint.warnings === 0)
    return <span className="deadline-ok">{t('list.clean')}</span>;
  return (
    <>
      {v.lint.errors > 0 && (
        <span className="deadline-due">{t('list.errors', { count: v.lint.errors })}</span>
      )}
      {v.lint.errors > 0 && v.lint.warnings > 0 && ', '}
      {v.lint.warnings > 0 && (
        <span className="deadline-near">{t('list.warnings', { count: v.lint.warnings })}</span>
      )}
    </>
  );
}

function Instances({ v }: { v: ModelVersion }) {
  const { t } = useTranslation('analyst');
  const states = Object.entries(v.instances.byState)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${t(`state.${s}`)}: ${n}`)
    .join(', ');
  return (
    <span title={states || undefined}>
      {v.instances.total}
      {states && ` (${states})`}
    </span>
  );
}

/** Two versions of one process to compare: the older and the newer. */
function CompareForm({ process }: { process: ProcessModel }) {
  const { t } = useTranslation('analyst');
  const navigate = useNavigate();
  const versions = process.versions.filter((v) => v.lint !== null);
  const [older, setOlder] = useState(versions[1]?.definitionId ?? '');
  const [newer, setNewer] = useState(versions[0]?.definitionId ?? '');
  if (versions.length < 2) return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void navigate(`/analyst/diff/${older}/${newer}`);
  };
  const id = process.bpmnProcessId;
  return (
    <form className="filters" onSubmit={submit} aria-label={`${t('list.compare')}: ${id}`}>
      <label>
        {t('list.older')}
        <select value={older} onChange={(e) => setOlder(e.target.value)}>
          {versions.map((v) => (
            <option key={v.definitionId} value={v.definitionId}>
              {v.version}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('list.newer')}
        <select value={newer} onChange={(e) => setNewer(e.target.value)}>
          {versions.map((v) => (
            <option key={v.definitionId} value={v.definitionId}>
              {v.version}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={older === newer}>
        {t('list.compareButton')}
      </button>
    </form>
  );
}

export function ModelList() {
  const { t } = useTranslation('analyst');
  const { data, error } = useProcessModels();
  return (
    <>
      <h1>{t('title')}</h1>
      <p>
        <Link to="/analyst/upload">{t('list.upload')}</Link>
      </p>
      <ErrorBox error={error} />
      {data && <p>{t('engine', { version: data.engineVersion })}</p>}
      {data?.processes.length === 0 && <p>{t('list.empty')}</p>}
      {data?.processes.map((p) => (
        <section
          key={p.bpmnProcessId}
          className="panel"
          aria-labelledby={`proc-${p.bpmnProcessId}`}
        >
          <h2 id={`proc-${p.bpmnProcessId}`}>{p.name ?? p.bpmnProcessId}</h2>
          <p id={`proc-${p.bpmnProcessId}-ids`}>
            <code>{p.bpmnProcessId}</code>
          </p>
          <table
            aria-label={t('list.caption', { name: p.name ?? p.bpmnProcessId, id: p.bpmnProcessId })}
          >
            <thead>
              <tr>
                <th scope="col">{t('list.version')}</th>
                <th scope="col">{t('list.deployedAt')}</th>
                <th scope="col">{t('list.deployedBy')}</th>
                <th scope="col">{t('list.resource')}</th>
                <th scope="col">{t('list.key')}</th>
                <th scope="col">{t('list.checksum')}</th>
                <th scope="col">{t('list.instances')}</th>
                <th scope="col">{t('list.lint')}</th>
              </tr>
            </thead>
            <tbody>
              {p.versions.map((v) => (
                <tr key={v.definitionId}>
                  <th scope="row">
                    {v.lint ? (
                      <Link
                        to={`/analyst/versions/${v.definitionId}`}
                        aria-label={t('list.viewLabel', {
                          id: p.bpmnProcessId,
                          version: v.version,
                        })}
                      >
                        {v.version}
                      </Link>
                    ) : (
                      v.version
                    )}
                  </th>
                  <td>{v.deployedAt ? formatDateTime(v.deployedAt) : '—'}</td>
                  <td>{v.deployedBy ?? t('list.startup')}</td>
                  <td>{v.resourceName}</td>
                  <td>{v.definitionId}</td>
                  <td>
                    <code title={v.checksum}>{v.checksum.slice(0, 12)}</code>
                  </td>
                  <td>
                    <Instances v={v} />
                  </td>
                  <td>
                    <LintStatus v={v} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <CompareForm process={p} />
        </section>
      ))}
    </>
  );
}
