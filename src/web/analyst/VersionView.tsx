import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { BpmnViewer } from '../components/BpmnViewer';
import { ErrorBox } from '../components/ErrorBox';
import { findVersion, useProcessModels, useVersionXml } from './models';

/** One deployed version: its diagram and the problems the check finds, each pointing at its element. */
export function VersionView() {
  const { t } = useTranslation('analyst');
  const { key } = useParams();
  const { data, error } = useProcessModels();
  const { xml, error: xmlError } = useVersionXml(key);
  const [selected, setSelected] = useState<string>();
  const found = findVersion(data, key ?? '');
  const markers = useMemo(
    () => (selected ? { [selected]: ['marker-incident'] } : undefined),
    [selected],
  );
  if (data && !found) return <p role="alert">{t('version.notFound')}</p>;
  const name = found ? (found.process.name ?? found.process.bpmnProcessId) : '';
  const previous = found?.process.versions.find(
    (v) => v.version < found.version.version && v.lint !== null,
  );
  const problems = found?.version.lint?.problems ?? [];
  return (
    <>
      <p>
        <Link to="/analyst">{t('version.back')}</Link>
      </p>
      <ErrorBox error={error ?? xmlError} />
      {found && <h1>{t('version.title', { name, version: found.version.version })}</h1>}
      {found && previous && (
        <p>
          <Link to={`/analyst/diff/${previous.definitionId}/${found.version.definitionId}`}>
            {t('version.compareWithPrevious')}
          </Link>
        </p>
      )}
      {xml && found && (
        <BpmnViewer
          xml={xml}
          markers={markers}
          label={t('version.diagram', { name, version: found.version.version })}
          height={460}
        />
      )}
      {found && (
        <section aria-labelledby="problems-heading">
          <h2 id="problems-heading">{t('version.problems')}</h2>
          {problems.length === 0 ? (
            <p>{t('version.noProblems')}</p>
          ) : (
            <>
              <p>{t('version.problemHint')}</p>
              <ul className="problem-list">
                {problems.map((p, i) => (
                  <li key={`${p.element}-${p.rule}-${i}`}>
                    <button
                      type="button"
                      aria-pressed={selected === p.element}
                      onClick={() => setSelected(selected === p.element ? undefined : p.element)}
                    >
                      <strong>{p.element}</strong>{' '}
                      {`[${p.rule}] (${t(`version.severity.${p.severity}`)}): ${p.message}`}
                    </button>
                  </li>
                ))}
              </ul>
              {selected && <p aria-live="polite">{t('version.selected', { element: selected })}</p>}
            </>
          )}
        </section>
      )}
    </>
  );
}
