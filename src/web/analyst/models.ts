import { useCallback, useEffect, useState } from 'react';
import type { ModelVersion, Problem, ProcessModel, ProcessModels } from '../../contracts';
import { api, ApiError } from '../api';

export const MODELS_PATH = '/api/v1/analyst/process-definitions';

/** The deployed processes with their versions; `reload` after an upload. */
export function useProcessModels() {
  const [data, setData] = useState<ProcessModels>();
  const [error, setError] = useState<unknown>();
  const reload = useCallback(() => {
    const ctl = new AbortController();
    api<ProcessModels>(MODELS_PATH, { signal: ctl.signal })
      .then((d) => {
        setData(d);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (!ctl.signal.aborted) setError(e);
      });
    return () => ctl.abort();
  }, []);
  useEffect(() => reload(), [reload]);
  return { data, error, reload };
}

/** Finds a version by its process definition id, with its process. */
export function findVersion(
  data: ProcessModels | undefined,
  key: string,
): { process: ProcessModel; version: ModelVersion } | undefined {
  for (const process of data?.processes ?? []) {
    const version = process.versions.find((v) => v.definitionId === key);
    if (version) return { process, version };
  }
  return undefined;
}

/** The deployed XML of a version (text, not JSON). */
export function useVersionXml(key: string | undefined) {
  const [xml, setXml] = useState<string>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    if (!key) return;
    const ctl = new AbortController();
    setXml(undefined);
    fetch(`${MODELS_PATH}/${encodeURIComponent(key)}/xml`, {
      credentials: 'same-origin',
      signal: ctl.signal,
    })
      .then(async (res) => {
        if (!res.ok) {
          const p = (await res.json().catch(() => undefined)) as Problem | undefined;
          throw new ApiError(p ?? { title: res.statusText, status: res.status });
        }
        setXml(await res.text());
      })
      .catch((e: unknown) => {
        if (!ctl.signal.aborted) setError(e);
      });
    return () => ctl.abort();
  }, [key]);
  return { xml, error };
}
