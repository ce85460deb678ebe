import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { BpmnViewer } from '../components/BpmnViewer';
import { ErrorBox } from '../components/ErrorBox';
import { diffModels, type ModelDiff } from './model-diff';
import { findVersion, useProcessModels, useVersionXml } from './models';

const KIND_CLASS = {
  added: 'deadline-ok',
  removed: 'deadline-due',
  changed: 'deadline-near',
  layout: '',
} as const;

/** Two versions side by side, added/removed/changed elements marked, and the list of changes. */
export function DiffView() {
  const { t } = useTranslation('analyst');
  const { older, newer } = useParams();
  const { data, error } = useProcessModels();
  const a = useVersionXml(older);
  const b = useVersionXml(newer);
  const [diff, setDiff] = useState<ModelDiff>();
  const [diffError, setDiffError] = useState<unknown>();
  useEffect(() => {
    if (!a.xml || !b.xml) return;
    let cancelled = false;
    diffModels(a.xml, b.xml)
      .then((d) => !cancelled && setDiff(d))
      .catch((e: unknown) => !cancelled && setDiffError(e));
    return () => {
      cancelled = true;
    };
  }, [a.xml, b.xml]);

  const va = findVersion(data, older ?? '');
  const vb = findVersion(data, newer ?? '');
  const name = va ? (va.process.name ?? va.process.bpmnProcessId) : '';
  const sameProcess = !va || !vb || va.process.bpmnProcessId === vb.process.bpmnProcessId;
  return (
    <>
      <p>
        <Link to="/analyst">{t('version.back')}</Link>
      </p>
      <ErrorBox error={error ?? a.error ?? b.error ?? diffError} />
      {va && vb && (
        <h1>{t('diff.title', { name, older: va.version.version, newer: vb.version.version })}</h1>
      )}
      {!sameProcess && <p role="alert">{t('diff.otherProcess')}</p>}
      <p>{t('diff.legend')}</p>
      {!diff && !diffError && <p>{t('diff.computing')}</p>}
      {diff && a.xml && b.xml && va && vb && (
        <>
          <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 12 }}>
            <div>
              <h2>
                <Link to={`/analyst/versions/${va.version.definitionId}`}>
                  {t('diff.older', { version: va.version.version })}
                </Link>
              </h2>
              <BpmnViewer
                xml={a.xml}
                markers={diff.markersOld}
                label={t('diff.older', { version: va.version.version })}
                height={300}
              />
            </div>
            <div>
              <h2>
                <Link to={`/analyst/versions/${vb.version.definitionId}`}>
                  {t('diff.newer', { version: vb.version.version })}
                </Link>
              </h2>
              <BpmnViewer
                xml={b.xml}
                markers={diff.markersNew}
                label={t('diff.newer', { version: vb.version.version })}
                height={300}
              />
            </div>
          </div>
          <h2>{t('diff.changes')}</h2>
          {diff.changes.length === 0 ? (
            <p>{t('diff.none')}</p>
          ) : (
            <table aria-label={t('diff.changes')}>
              <thead>
                <tr>
                  <th scope="col">{t('diff.change')}</th>
                  <th scope="col">{t('diff.element')}</th>
                  <th scope="col">{t('diff.type')}</th>
                  <th scope="col">{t('diff.name')}</th>
                  <th scope="col">{t('diff.attrs')}</th>
                </tr>
              </thead>
              <tbody>
                {diff.changes.map((c) => (
                  <tr key={`${c.kind}-${c.id}`} data-change={c.kind}>
                    <td className={KIND_CLASS[c.kind]}>{t(`diff.kind.${c.kind}`)}</td>
                    <th scope="row">
                      <code>{c.id}</code>
                    </th>
                    <td>{c.type}</td>
                    <td>{c.name}</td>
                    <td>{c.attrs.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}
