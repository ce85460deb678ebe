import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError } from '../api';
import { BpmnViewer, type ElementBadge } from '../components/BpmnViewer';
import { ErrorBox } from '../components/ErrorBox';
import { instant } from './format';
import { IncidentActions } from './IncidentActions';
import type { CaseDeadline, ElementState, InstanceDetail } from '../../contracts';

const POLL_MS = 3000;
const ENDED = ['completed', 'cancelled'];

/** The definition's BPMN XML (application/xml). */
async function fetchXml(definitionId: string, signal: AbortSignal): Promise<string> {
  const res = await fetch(
    `/api/v1/operator/process-definitions/${encodeURIComponent(definitionId)}/xml`,
    {
      credentials: 'same-origin',
      signal,
    },
  );
  const text = await res.text();
  if (!res.ok)
    throw new ApiError(text ? JSON.parse(text) : { title: res.statusText, status: res.status });
  return text;
}

/** Active → marker-active, incident → marker-incident, otherwise completed → marker-completed. */
/** A variable's value as a person reads it; objects one level deep (the JSON on demand). */
function readableValue(v: unknown, yes: string, no: string): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? yes : no;
  if (typeof v !== 'object') return String(v);
  if (Array.isArray(v)) return v.map((x) => readableValue(x, yes, no)).join('; ') || '—';
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) =>
      x !== null && typeof x === 'object' ? `${k}: …` : `${k}: ${readableValue(x, yes, no)}`,
    )
    .join('; ');
}

function markersOf(elements: ElementState[]): Record<string, string[]> {
  const m: Record<string, string[]> = {};
  for (const e of elements) {
    const classes: string[] = [];
    if (e.incidents > 0) classes.push('marker-incident');
    if (e.active > 0) classes.push('marker-active');
    if (!classes.length && e.completed > 0) classes.push('marker-completed');
    if (classes.length) m[e.elementId] = classes;
  }
  return m;
}

function badgesOf(elements: ElementState[]): Record<string, ElementBadge> {
  const b: Record<string, ElementBadge> = {};
  for (const e of elements)
    b[e.elementId] = { active: e.active, completed: e.completed, incidents: e.incidents };
  return b;
}

function DeadlinesTable({ deadlines }: { deadlines: CaseDeadline[] }) {
  const { t } = useTranslation('operator');
  if (deadlines.length === 0) return <p>{t('instance.noDeadlines')}</p>;
  const now = Date.now();
  return (
    <table aria-labelledby="instance-deadlines" data-testid="instance-deadlines">
      <thead>
        <tr>
          <th scope="col">{t('instance.element')}</th>
          <th scope="col">{t('instance.dueAt')}</th>
          <th scope="col">{t('instance.citation')}</th>
          <th scope="col">{t('instance.groups')}</th>
          <th scope="col">{t('instance.assignee')}</th>
          <th scope="col">{t('instance.escalated')}</th>
        </tr>
      </thead>
      <tbody>
        {deadlines.map((d) => {
          const late = !!d.overdueEscalatedAt || (!!d.dueAt && Date.parse(d.dueAt) < now);
          return (
            <tr key={d.taskId}>
              <th scope="row">
                <code>{d.elementId}</code>
              </th>
              <td className={late ? 'deadline-due' : undefined}>{instant(d.dueAt)}</td>
              <td>{d.citation ?? '—'}</td>
              <td>{d.candidateGroups.join(', ') || '—'}</td>
              <td>{d.assignee ?? '—'}</td>
              <td>{instant(d.overdueEscalatedAt)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function InstancePage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('operator');
  const { t: common } = useTranslation();
  const [data, setData] = useState<InstanceDetail>();
  const [xml, setXml] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [message, setMessage] = useState('');

  const load = useCallback(
    async (signal?: AbortSignal) => {
      try {
        setData(
          await api<InstanceDetail>(
            `/api/v1/operator/process-instances/${encodeURIComponent(id)}`,
            { signal },
          ),
        );
        setError(undefined);
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [id],
  );

  useEffect(() => {
    const ctl = new AbortController();
    void load(ctl.signal);
    return () => ctl.abort();
  }, [load]);

  // While the instance runs, its state is refreshed (a retried job completes on its own).
  const state = data?.instance.state;
  useEffect(() => {
    if (!state || ENDED.includes(state)) return;
    const timer = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(timer);
  }, [state, load]);

  const definitionId = data?.instance.processDefinitionId;
  useEffect(() => {
    if (!definitionId) return;
    const ctl = new AbortController();
    fetchXml(definitionId, ctl.signal)
      .then(setXml)
      .catch((e) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [definitionId]);

  // New objects only when the element states change, so the diagram is not redrawn on every poll.
  const elementsJson = JSON.stringify(data?.elements ?? []);
  const markers = useMemo(() => markersOf(JSON.parse(elementsJson)), [elementsJson]);
  const badges = useMemo(() => badgesOf(JSON.parse(elementsJson)), [elementsJson]);

  if (!data)
    return (
      <section>
        <h1>{t('instance.title', { key: id })}</h1>
        <ErrorBox error={error} />
      </section>
    );
  const i = data.instance;
  const processName = t(`processes.${i.bpmnProcessId}`, { defaultValue: i.bpmnProcessId });
  return (
    <section aria-labelledby="instance-title">
      <p>
        <Link to="/operator/instances">{t('instance.back')}</Link>
      </p>
      <h1 id="instance-title">{t('instance.title', { key: i.id })}</h1>
      <ErrorBox error={error} />
      <p role="status" aria-live="polite">
        {message}
      </p>
      <dl className="summary" aria-label={t('instance.summary')}>
        <dt>{t('instances.process')}</dt>
        <dd>
          {processName} ({i.bpmnProcessId}), {t('instances.version')} {i.version}
        </dd>
        <dt>{t('instances.state')}</dt>
        <dd data-testid="instance-state" className={`state state-${i.state}`}>
          {t(`states.${i.state}`)}
        </dd>
        <dt>{t('instances.businessKey')}</dt>
        <dd data-testid="instance-business-key">{i.businessKey ?? '—'}</dd>
        <dt>{t('instances.case')}</dt>
        <dd>{i.caseId ? `${i.caseType ?? ''} ${i.caseId}` : '—'}</dd>
        {i.parentId && (
          <>
            <dt>{t('instance.parent')}</dt>
            <dd>
              <Link to={`/operator/instances/${i.parentId}`}>{i.parentId}</Link>
            </dd>
          </>
        )}
        <dt>{t('instances.startedAt')}</dt>
        <dd>{instant(i.startedAt)}</dd>
        <dt>{t('instances.endedAt')}</dt>
        <dd>{instant(i.endedAt)}</dd>
      </dl>
      <button type="button" onClick={() => void load()}>
        {t('instance.refresh')}
      </button>
      {data.cockpitUrl && (
        <p>
          <a
            href={data.cockpitUrl}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="cockpit-link"
          >
            {t('instance.cockpit')}
          </a>
        </p>
      )}
      <h2>{t('instance.diagram', { process: processName, version: i.version })}</h2>
      {xml && (
        <BpmnViewer
          xml={xml}
          markers={markers}
          badges={badges}
          label={t('instance.diagram', { process: processName, version: i.version })}
          legend={['active', 'completed', 'incident']}
        />
      )}
      <h2 id="instance-incidents">{t('instance.incidents')}</h2>
      {data.incidents.length === 0 ? (
        <p>{t('instance.noIncidents')}</p>
      ) : (
        <table aria-labelledby="instance-incidents" data-testid="instance-incidents">
          <thead>
            <tr>
              <th scope="col">{t('incidents.error')}</th>
              <th scope="col">{t('incidents.element')}</th>
              <th scope="col">{t('incidents.state')}</th>
              <th scope="col">{t('incidents.createdAt')}</th>
              <th scope="col">{t('incidents.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {data.incidents.map((inc) => (
              <tr key={inc.id} data-incident={inc.id}>
                <td>
                  {inc.incidentType && (
                    <strong>
                      {t(`incidents.types.${inc.incidentType}`, {
                        defaultValue: inc.incidentType,
                      })}
                      :{' '}
                    </strong>
                  )}
                  {inc.errorMessage}
                </td>
                <td>
                  <code>{inc.elementId}</code>
                </td>
                <td>{t(`states.${inc.state}`)}</td>
                <td>{instant(inc.createdAt)}</td>
                <td>
                  {inc.state === 'active' && (
                    <IncidentActions
                      incidentId={inc.id}
                      onDone={(m) => {
                        setMessage(m);
                        void load();
                      }}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2 id="instance-deadlines">{t('instance.deadlines')}</h2>
      <DeadlinesTable deadlines={data.deadlines} />
      <h2 id="instance-variables">{t('instance.variables')}</h2>
      <table aria-labelledby="instance-variables" data-testid="instance-variables">
        <thead>
          <tr>
            <th scope="col">{t('instance.name')}</th>
            <th scope="col">{t('instance.value')}</th>
            <th scope="col">{t('instance.scope')}</th>
          </tr>
        </thead>
        <tbody>
          {data.variables.map((v) => (
            <tr key={`${v.scope ?? ''}:${v.name}`}>
              <th scope="row">
                <code>{v.name}</code>
              </th>
              <td>
                {readableValue(v.value, common('yes'), common('no'))}
                {v.value !== null && typeof v.value === 'object' && (
                  <details>
                    <summary>{t('instance.asJson')}</summary>
                    <pre className="value">{JSON.stringify(v.value, null, 2)}</pre>
                  </details>
                )}
              </td>
              <td>{v.scope ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2 id="instance-history">{t('instance.history')}</h2>
      <table aria-labelledby="instance-history" data-testid="instance-history">
        <thead>
          <tr>
            <th scope="col">{t('instance.element')}</th>
            <th scope="col">{t('instance.elementType')}</th>
            <th scope="col">{t('instances.state')}</th>
            <th scope="col">{t('instances.startedAt')}</th>
            <th scope="col">{t('instances.endedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {data.history.map((h) => (
            <tr key={h.id}>
              <th scope="row">
                {h.elementName ?? <code>{h.elementId}</code>}
                {h.calledProcessInstanceId && (
                  <>
                    {' → '}
                    <Link to={`/operator/instances/${h.calledProcessInstanceId}`}>
                      {h.calledProcessInstanceId}
                    </Link>
                  </>
                )}
              </th>
              <td>{t(`elementTypes.${h.elementType}`, { defaultValue: h.elementType })}</td>
              <td>{t(`states.${h.state}`)}</td>
              <td>{instant(h.startedAt)}</td>
              <td>{instant(h.endedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
