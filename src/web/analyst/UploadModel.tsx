import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError } from '../api';
import { ErrorBox } from '../components/ErrorBox';
import type {
  ModelRefused,
  ModelsDeployed,
  ModelUploadRequest,
  ProcessModels,
} from '../../contracts';
import { MODELS_PATH } from './models';

/** Upload of a model edited in Camunda Modeler: refused with its problems, or a new version. */
export function UploadModel() {
  const { t } = useTranslation('analyst');
  const [file, setFile] = useState<File>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [missing, setMissing] = useState(false);
  const [result, setResult] = useState<ModelsDeployed>();
  const [previous, setPrevious] = useState<Record<string, string>>({});

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    setResult(undefined);
    if (!file) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      const xml = await file.text();
      const body: ModelUploadRequest = { fileName: file.name, xml };
      const deployed = await api<ModelsDeployed>(MODELS_PATH, { body });
      // the version before each deployed one, for the link to the differences
      const list = await api<ProcessModels>(MODELS_PATH);
      const before: Record<string, string> = {};
      for (const d of deployed.versions) {
        const prev = list.processes
          .find((p) => p.bpmnProcessId === d.bpmnProcessId)
          ?.versions.find((v) => v.version < d.version && v.lint !== null);
        if (prev) before[d.definitionId] = prev.definitionId;
      }
      setPrevious(before);
      setResult(deployed);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : undefined;
  // a refused model (422) names each problem; other problems have none
  const problems = (apiError?.problem as Partial<ModelRefused> | undefined)?.problems;
  const fieldMessage = missing
    ? t('upload.chooseFile')
    : (apiError?.field('fileName') ?? (problems ? undefined : apiError?.field('xml')));
  const invalid = Boolean(fieldMessage || problems);

  return (
    <>
      <p>
        <Link to="/analyst">{t('version.back')}</Link>
      </p>
      <h1>{t('upload.title')}</h1>
      <p>{t('upload.intro')}</p>
      <form onSubmit={(e) => void submit(e)} className="panel" noValidate>
        <label>
          {t('upload.file')}
          <input
            type="file"
            accept=".bpmn"
            aria-invalid={invalid || undefined}
            aria-describedby={invalid ? 'upload-error' : undefined}
            onChange={(e) => {
              setFile(e.target.files?.[0]);
              setError(undefined);
              setMissing(false);
              setResult(undefined);
            }}
          />
        </label>
        {invalid && (
          <div id="upload-error" role="alert" className="error-box">
            {fieldMessage && <p>{fieldMessage}</p>}
            {problems && (
              <>
                <strong>{t('upload.refused')}</strong>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t('upload.element')}</th>
                      <th scope="col">{t('upload.rule')}</th>
                      <th scope="col">{t('upload.message')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {problems.map((p, i) => (
                      <tr key={`${p.element}-${p.rule}-${i}`}>
                        <td>
                          <code>{p.element}</code>
                        </td>
                        <td>
                          <code>{p.rule}</code>
                        </td>
                        <td>{p.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        )}
        <p>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('upload.sending') : t('upload.submit')}
          </button>
        </p>
      </form>
      {!invalid && <ErrorBox error={error} />}
      {result && (
        <div role="status" className="panel">
          {result.versions.map((v) => (
            <div key={v.definitionId}>
              <p>
                {t(v.created ? 'upload.deployed' : 'upload.unchanged', {
                  process: v.bpmnProcessId,
                  version: v.version,
                })}
              </p>
              <p>
                <Link to={`/analyst/versions/${v.definitionId}`}>{t('upload.viewNew')}</Link>
                {v.created && previous[v.definitionId] && (
                  <>
                    {' · '}
                    <Link to={`/analyst/diff/${previous[v.definitionId]}/${v.definitionId}`}>
                      {t('upload.diffWithPrevious')}
                    </Link>
                  </>
                )}
              </p>
            </div>
          ))}
        </div>
      )}
    </>
  );
}
