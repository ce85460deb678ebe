import { EngineError, ok, type EngineRest, type EngineSchemas } from './rest.js';
import { fromEngineVariables } from './variables.js';

/**
 * The engine's own history and runtime state, as the operator console and the analyst view see
 * them: process instances (search, one instance with its steps, variables and incidents), the
 * deployed definitions with their versions and instance counts, per-element counts for the
 * diagram, and the incident commands (retry, resolve). Everything is read from the engine's REST
 * API (history level full); nothing is copied into the app's tables.
 *
 * Ids are the engine's ids (strings). `bpmnProcessId` is the process id of the model (the engine
 * calls it the process definition key); `processDefinitionId` names one deployed version.
 */

export const INSTANCE_STATES = ['active', 'completed', 'incident', 'cancelled'] as const;
/** incident: running with an open incident; active: running without one. */
export type InstanceState = (typeof INSTANCE_STATES)[number];

export interface InstanceFilter {
  /** an instance id, a case id (the `caseId` variable) or a business key (the case id) */
  q?: string;
  /** the BPMN process id */
  process?: string;
  /** needs `process` */
  version?: number;
  state?: InstanceState;
  startedFrom?: Date;
  startedTo?: Date;
  endedFrom?: Date;
  endedTo?: Date;
  limit: number;
  offset: number;
}

export interface InstanceSummary {
  id: string;
  bpmnProcessId: string;
  version: number;
  processDefinitionId: string;
  /** the business key: the id of the case the instance serves */
  businessKey: string | null;
  state: InstanceState;
  startedAt: string;
  endedAt: string | null;
  /** the calling instance (call activity) */
  parentId: string | null;
  caseType: string | null;
  caseId: string | null;
  /** open incidents of this instance (its own and those raised in the instances it called) */
  incidentCount: number;
}

export interface ElementCounts {
  elementId: string;
  active: number;
  completed: number;
  terminated: number;
  incidents: number;
}

export interface ElementInstance {
  id: string;
  elementId: string;
  elementName: string | null;
  /** the engine's activity type, e.g. userTask, serviceTask, callActivity, noneEndEvent */
  elementType: string;
  state: 'active' | 'completed' | 'terminated';
  startedAt: string;
  endedAt: string | null;
  /** the instance a call activity started */
  calledProcessInstanceId: string | null;
  assignee: string | null;
}

export interface InstanceVariable {
  name: string;
  value: unknown;
  type: string;
  /** null: the instance itself; otherwise the activity instance the variable is local to */
  scope: string | null;
}

export type IncidentType = 'failedJob' | 'failedExternalTask' | (string & {});

export interface Incident {
  id: string;
  processInstanceId: string;
  processDefinitionId: string | null;
  bpmnProcessId: string;
  elementId: string;
  /** failedJob, failedExternalTask, or a custom type */
  incidentType: IncidentType;
  /** the failed job's or external task's id */
  configuration: string | null;
  errorMessage: string;
  state: 'active' | 'resolved' | 'deleted';
  createdAt: string;
  resolvedAt: string | null;
  /** the incident this one was raised for (a called instance's failure), null for a root cause */
  causeIncidentId: string | null;
  rootCauseIncidentId: string | null;
}

export interface InstanceDetail {
  instance: InstanceSummary;
  elements: ElementCounts[];
  history: ElementInstance[];
  variables: InstanceVariable[];
  incidents: Incident[];
  /** the instance in the engine's own console (Cockpit) */
  cockpitUrl: string | null;
}

export interface IncidentFilter {
  state?: 'active' | 'resolved';
  process?: string;
  processInstanceId?: string;
  limit: number;
  offset: number;
}

export type IncidentActionStatus =
  'retried' | 'resolved' | 'not-found' | 'already-resolved' | 'refused' | 'failed';

export interface IncidentActionResult {
  id: string;
  status: IncidentActionStatus;
  detail?: string;
  /** the incident acted on (the root cause when `id` was raised for a called instance) */
  incident?: Incident;
}

export interface InstanceCountsByState {
  active: number;
  incident: number;
  completed: number;
  cancelled: number;
}

export interface DefinitionVersion {
  id: string;
  bpmnProcessId: string;
  name: string | null;
  version: number;
  versionTag: string | null;
  resourceName: string;
  deploymentId: string;
  deployedAt: string | null;
  instances: InstanceCountsByState;
}

export interface ProcessWithVersions {
  bpmnProcessId: string;
  name: string | null;
  /** newest first */
  versions: DefinitionVersion[];
}

type HistoricProcessInstance = EngineSchemas['HistoricProcessInstanceDto'];
type HistoricIncident = EngineSchemas['HistoricIncidentDto'];
type HistoricQuery = EngineSchemas['HistoricProcessInstanceQueryDto'];
type ProcessDefinition = EngineSchemas['ProcessDefinitionDto'];

/** The engine's REST date format (yyyy-MM-dd'T'HH:mm:ss.SSSZ, e.g. …000+0000). */
export function toEngineDate(d: Date): string {
  return d.toISOString().replace('Z', '+0000');
}

/** An engine date as ISO 8601 in UTC ("…+0000" → "…Z"). */
export function fromEngineDate(s: string): string;
export function fromEngineDate(s: string | null | undefined): string | null;
export function fromEngineDate(s: string | null | undefined): string | null {
  if (!s) return null;
  const normalized = s.replace(/([+-])(\d{2})(\d{2})$/, '$1$2:$3');
  const t = Date.parse(normalized);
  return Number.isNaN(t) ? s : new Date(t).toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Engine ids: UUIDs (the default id generator) or the classic numeric / prefixed ids. */
export const ENGINE_ID = /^[A-Za-z0-9][A-Za-z0-9:._-]{0,127}$/;

/** Running instances with open incidents at most considered for "active without incident". */
const MAX_INCIDENT_INSTANCES = 5000;

function notFound(err: unknown): boolean {
  return err instanceof EngineError && err.status === 404;
}

/** The engine's web address (Cockpit) from its REST address: …/engine-rest → … */
export function engineWebUrl(restUrl: string): string {
  return restUrl.replace(/\/+$/, '').replace(/\/engine-rest$/, '');
}

/** Runs `fn` over `items` with at most `n` at a time, keeping the order. */
async function mapLimit<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export interface EngineHistory {
  searchInstances(f: InstanceFilter): Promise<{ total: number; items: InstanceSummary[] }>;
  /** undefined: no such instance */
  getInstance(id: string): Promise<InstanceDetail | undefined>;
  instanceSummary(id: string): Promise<InstanceSummary | undefined>;
  instanceVariables(id: string): Promise<InstanceVariable[]>;
  activityHistory(id: string): Promise<ElementInstance[]>;
  /** The BPMN XML of one deployed version; undefined: no such definition. */
  definitionXml(processDefinitionId: string): Promise<string | undefined>;
  /** Per element over all instances of one version: running (with incidents) and ended counts. */
  definitionElements(processDefinitionId: string): Promise<ElementCounts[] | undefined>;
  listIncidents(f: IncidentFilter): Promise<{ total: number; items: Incident[] }>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** New retries for the failed job or external task behind the incident (resolves it). */
  retryIncident(id: string, retries: number): Promise<IncidentActionResult>;
  /** Resolves a custom incident; failed jobs and external tasks are resolved by a retry. */
  resolveIncident(id: string): Promise<IncidentActionResult>;
  /** Every deployed process (or one) with all its versions, newest first, and instance counts. */
  listDefinitions(bpmnProcessId?: string): Promise<ProcessWithVersions[]>;
  /** The newest deployed version of a process; undefined: never deployed. */
  latestVersion(
    bpmnProcessId: string,
  ): Promise<{ id: string; version: number; resourceName: string } | undefined>;
  /** Instance counts of one version by state. */
  instanceCounts(processDefinitionId: string): Promise<InstanceCountsByState>;
  /** The instance in Cockpit; null when no web address is known. */
  cockpitUrl(processInstanceId: string): string | null;
}

export function createEngineHistory(
  rest: EngineRest,
  opts: {
    /** the engine's web address (Cockpit at /operaton/app/cockpit/...); unset: no links */
    webUrl?: string;
  } = {},
): EngineHistory {
  const cockpitUrl = (id: string): string | null =>
    opts.webUrl
      ? `${opts.webUrl.replace(/\/+$/, '')}/operaton/app/cockpit/default/#/process-instance/${encodeURIComponent(id)}`
      : null;

  async function queryInstances(
    body: HistoricQuery,
    firstResult: number,
    maxResults: number,
  ): Promise<HistoricProcessInstance[]> {
    return ok(
      await rest.POST('/history/process-instance', {
        params: { query: { firstResult, maxResults } },
        body: { ...body, sorting: [{ sortBy: 'startTime', sortOrder: 'desc' }] },
      }),
    );
  }

  async function countInstances(body: HistoricQuery): Promise<number> {
    return ok(await rest.POST('/history/process-instance/count', { body })).count ?? 0;
  }

  /** Ids of running instances with an open incident (theirs or a called instance's). */
  async function instancesWithOpenIncidents(base: HistoricQuery): Promise<string[]> {
    const rows = await queryInstances(
      { ...base, unfinished: true, incidentStatus: 'open' },
      0,
      MAX_INCIDENT_INSTANCES,
    );
    return rows.map((r) => r.id!).filter(Boolean);
  }

  async function definitionIdOf(process: string, version: number): Promise<string | null> {
    const defs = ok(
      await rest.GET('/process-definition', { params: { query: { key: process, version } } }),
    );
    return defs[0]?.id ?? null;
  }

  async function stateQuery(base: HistoricQuery, state: InstanceState | undefined) {
    switch (state) {
      case undefined:
        return base;
      case 'incident':
        return { ...base, unfinished: true, incidentStatus: 'open' as const };
      case 'active': {
        const withIncident = await instancesWithOpenIncidents(base);
        return {
          ...base,
          unfinished: true,
          ...(withIncident.length ? { processInstanceIdNotIn: withIncident } : {}),
        };
      }
      case 'completed':
        return { ...base, completed: true };
      case 'cancelled':
        return {
          ...base,
          finished: true,
          orQueries: [{ externallyTerminated: true, internallyTerminated: true }],
        };
    }
  }

  async function openIncidentCount(processInstanceId: string): Promise<number> {
    return (
      ok(await rest.GET('/incident/count', { params: { query: { processInstanceId } } })).count ?? 0
    );
  }

  /** caseType and caseId of several instances, in one query. */
  async function caseVariables(
    ids: string[],
  ): Promise<Map<string, { caseType: string | null; caseId: string | null }>> {
    const out = new Map<string, { caseType: string | null; caseId: string | null }>();
    if (ids.length === 0) return out;
    const rows = ok(
      await rest.POST('/history/variable-instance', {
        params: { query: { deserializeValues: true, maxResults: ids.length * 4 } },
        body: { processInstanceIdIn: ids, variableNameIn: ['caseType', 'caseId'] },
      }),
    );
    for (const r of rows) {
      // process-level variables only
      if (
        !r.processInstanceId ||
        (r.activityInstanceId &&
          r.activityInstanceId !== r.processInstanceId &&
          r.executionId !== r.processInstanceId)
      )
        continue;
      const entry = out.get(r.processInstanceId) ?? { caseType: null, caseId: null };
      const value = r.value == null ? null : String(r.value);
      if (r.name === 'caseType') entry.caseType = value;
      if (r.name === 'caseId') entry.caseId = value;
      out.set(r.processInstanceId, entry);
    }
    return out;
  }

  async function summaries(rows: HistoricProcessInstance[]): Promise<InstanceSummary[]> {
    const ids = rows.map((r) => r.id!);
    const [cases, incidentCounts] = await Promise.all([
      caseVariables(ids),
      mapLimit(rows, 8, (r) => (r.endTime ? Promise.resolve(0) : openIncidentCount(r.id!))),
    ]);
    return rows.map((r, i) => {
      const incidents = incidentCounts[i]!;
      const c = cases.get(r.id!);
      let state: InstanceState;
      switch (r.state) {
        case 'COMPLETED':
          state = 'completed';
          break;
        case 'EXTERNALLY_TERMINATED':
        case 'INTERNALLY_TERMINATED':
          state = 'cancelled';
          break;
        default:
          state = incidents > 0 ? 'incident' : 'active';
      }
      return {
        id: r.id!,
        bpmnProcessId: r.processDefinitionKey ?? '',
        version: r.processDefinitionVersion ?? 0,
        processDefinitionId: r.processDefinitionId ?? '',
        businessKey: r.businessKey ?? null,
        state,
        startedAt: fromEngineDate(r.startTime) ?? '',
        endedAt: fromEngineDate(r.endTime),
        parentId: r.superProcessInstanceId ?? null,
        caseType: c?.caseType ?? null,
        caseId: c?.caseId ?? null,
        incidentCount: incidents,
      };
    });
  }

  async function historicInstance(id: string): Promise<HistoricProcessInstance | undefined> {
    if (!ENGINE_ID.test(id)) return undefined;
    try {
      return ok(await rest.GET('/history/process-instance/{id}', { params: { path: { id } } }));
    } catch (err) {
      if (notFound(err)) return undefined;
      throw err;
    }
  }

  function toIncident(i: HistoricIncident): Incident {
    return {
      id: i.id!,
      processInstanceId: i.processInstanceId ?? '',
      processDefinitionId: i.processDefinitionId ?? null,
      bpmnProcessId: i.processDefinitionKey ?? '',
      elementId: i.failedActivityId ?? i.activityId ?? '',
      incidentType: i.incidentType ?? '',
      configuration: i.configuration ?? null,
      errorMessage: i.incidentMessage ?? '',
      state: i.open ? 'active' : i.deleted ? 'deleted' : 'resolved',
      createdAt: fromEngineDate(i.createTime) ?? '',
      resolvedAt: fromEngineDate(i.endTime),
      causeIncidentId: i.causeIncidentId && i.causeIncidentId !== i.id ? i.causeIncidentId : null,
      rootCauseIncidentId: i.rootCauseIncidentId ?? null,
    };
  }

  async function instanceIncidents(processInstanceId: string): Promise<Incident[]> {
    const rows = ok(
      await rest.GET('/history/incident', {
        params: { query: { processInstanceId, sortBy: 'createTime', sortOrder: 'asc' } },
      }),
    );
    return rows.map(toIncident);
  }

  async function activityHistory(processInstanceId: string): Promise<ElementInstance[]> {
    const rows = ok(
      await rest.GET('/history/activity-instance', {
        params: {
          query: { processInstanceId, sortBy: 'occurrence', sortOrder: 'asc', maxResults: 5000 },
        },
      }),
    );
    return rows.map((a) => ({
      id: a.id!,
      elementId: a.activityId ?? '',
      elementName: a.activityName ?? null,
      elementType: a.activityType ?? '',
      state: !a.endTime ? 'active' : a.canceled ? 'terminated' : 'completed',
      startedAt: fromEngineDate(a.startTime) ?? '',
      endedAt: fromEngineDate(a.endTime),
      calledProcessInstanceId: a.calledProcessInstanceId ?? null,
      assignee: a.assignee ?? null,
    }));
  }

  async function instanceVariables(processInstanceId: string): Promise<InstanceVariable[]> {
    const rows = ok(
      await rest.POST('/history/variable-instance', {
        params: { query: { deserializeValues: true, maxResults: 2000 } },
        body: { processInstanceId },
      }),
    );
    const vars = rows.map((v) => {
      const local =
        v.activityInstanceId && v.activityInstanceId !== processInstanceId
          ? v.executionId === processInstanceId
            ? null
            : v.activityInstanceId
          : null;
      const value = fromEngineVariables({
        x: { value: v.value, type: v.type, valueInfo: v.valueInfo },
      }).x;
      return { name: v.name ?? '', value, type: v.type ?? '', scope: local };
    });
    // the instance's own variables first, then by scope and name
    return vars.sort(
      (a, b) =>
        Number(a.scope !== null) - Number(b.scope !== null) ||
        (a.scope ?? '').localeCompare(b.scope ?? '') ||
        a.name.localeCompare(b.name),
    );
  }

  /** Element counts of one instance from its activity history and incidents. */
  function elementsOf(history: ElementInstance[], incidents: Incident[]): ElementCounts[] {
    const m = new Map<string, ElementCounts>();
    const get = (elementId: string) => {
      let e = m.get(elementId);
      if (!e) {
        e = { elementId, active: 0, completed: 0, terminated: 0, incidents: 0 };
        m.set(elementId, e);
      }
      return e;
    };
    // A multi-instance body shares its activity's id ("task#multiInstanceBody"): not counted.
    for (const h of history) {
      if (h.elementType === 'multiInstanceBody') continue;
      get(h.elementId)[h.state]++;
    }
    for (const i of incidents)
      if (i.state === 'active' && i.elementId) get(i.elementId).incidents++;
    return [...m.values()].sort((a, b) => a.elementId.localeCompare(b.elementId));
  }

  async function countsOf(processDefinitionId: string): Promise<InstanceCountsByState> {
    const base = { processDefinitionId };
    const [running, incident, completed, cancelled] = await Promise.all([
      countInstances({ ...base, unfinished: true }),
      countInstances({ ...base, unfinished: true, incidentStatus: 'open' }),
      countInstances({ ...base, completed: true }),
      countInstances({
        ...base,
        finished: true,
        orQueries: [{ externallyTerminated: true, internallyTerminated: true }],
      }),
    ]);
    return { active: running - incident, incident, completed, cancelled };
  }

  async function getIncident(id: string): Promise<Incident | undefined> {
    if (!ENGINE_ID.test(id)) return undefined;
    const rows = ok(await rest.GET('/history/incident', { params: { query: { incidentId: id } } }));
    return rows[0] ? toIncident(rows[0]) : undefined;
  }

  /** The incident a command acts on: the root cause of one raised for a called instance. */
  async function actionable(
    id: string,
  ): Promise<{ incident: Incident } | { result: IncidentActionResult }> {
    const incident = await getIncident(id);
    if (!incident) return { result: { id, status: 'not-found', detail: `no incident ${id}` } };
    if (incident.state !== 'active')
      return {
        result: {
          id,
          status: 'already-resolved',
          detail: `incident ${id} is already resolved`,
          incident,
        },
      };
    if (incident.rootCauseIncidentId && incident.rootCauseIncidentId !== incident.id) {
      const root = await getIncident(incident.rootCauseIncidentId);
      if (root && root.state === 'active') return { incident: root };
    }
    return { incident };
  }

  function engineFailure(id: string, err: unknown, incident: Incident): IncidentActionResult {
    if (notFound(err))
      return {
        id,
        status: 'already-resolved',
        detail: `incident ${id} is no longer open`,
        incident,
      };
    if (err instanceof EngineError && err.status < 500)
      return { id, status: 'refused', detail: err.message, incident };
    return {
      id,
      status: 'failed',
      detail: 'the engine refused the command or is unreachable',
      incident,
    };
  }

  return {
    cockpitUrl,
    activityHistory,
    instanceVariables,
    getIncident,

    async searchInstances(f) {
      let base: HistoricQuery = {};
      if (f.q) {
        if (UUID.test(f.q) || ENGINE_ID.test(f.q)) {
          const own = await historicInstance(f.q);
          if (own) base.processInstanceIds = [f.q];
        }
        if (!base.processInstanceIds) {
          if (UUID.test(f.q)) base.variables = [{ name: 'caseId', operator: 'eq', value: f.q }];
          else base.processInstanceBusinessKey = f.q;
        }
      }
      if (f.process) base.processDefinitionKey = f.process;
      if (f.version !== undefined) {
        if (!f.process) throw new RangeError('version: needs a process');
        const id = await definitionIdOf(f.process, f.version);
        if (!id) return { total: 0, items: [] };
        base = { ...base, processDefinitionId: id };
      }
      if (f.startedFrom) base.startedAfter = toEngineDate(new Date(f.startedFrom.getTime() - 1));
      if (f.startedTo) base.startedBefore = toEngineDate(f.startedTo);
      if (f.endedFrom) base.finishedAfter = toEngineDate(new Date(f.endedFrom.getTime() - 1));
      if (f.endedTo) base.finishedBefore = toEngineDate(f.endedTo);
      const query = await stateQuery(base, f.state);
      const [total, rows] = await Promise.all([
        countInstances(query),
        queryInstances(query, f.offset, f.limit),
      ]);
      return { total, items: await summaries(rows) };
    },

    async instanceSummary(id) {
      const row = await historicInstance(id);
      return row ? (await summaries([row]))[0] : undefined;
    },

    async getInstance(id) {
      const row = await historicInstance(id);
      if (!row) return undefined;
      const [[instance], history, variables, incidents] = await Promise.all([
        summaries([row]),
        activityHistory(id),
        instanceVariables(id),
        instanceIncidents(id),
      ]);
      return {
        instance: instance!,
        elements: elementsOf(history, incidents),
        history,
        variables,
        incidents,
        cockpitUrl: cockpitUrl(id),
      };
    },

    async definitionXml(processDefinitionId) {
      if (!ENGINE_ID.test(processDefinitionId)) return undefined;
      try {
        const r = ok(
          await rest.GET('/process-definition/{id}/xml', {
            params: { path: { id: processDefinitionId } },
          }),
        );
        return r.bpmn20Xml ?? undefined;
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },

    async definitionElements(processDefinitionId) {
      if (!ENGINE_ID.test(processDefinitionId)) return undefined;
      try {
        const path = { id: processDefinitionId };
        // the statistics of an unknown id are not a 404: ask for the definition first
        ok(await rest.GET('/process-definition/{id}', { params: { path } }));
        const [running, ended] = await Promise.all([
          rest
            .GET('/process-definition/{id}/statistics', {
              params: { path, query: { incidents: true } },
            })
            .then(ok),
          rest
            .GET('/history/process-definition/{id}/statistics', {
              params: { path, query: { finished: true, canceled: true } },
            })
            .then(ok),
        ]);
        const m = new Map<string, ElementCounts>();
        const get = (elementId: string) => {
          let e = m.get(elementId);
          if (!e) {
            e = { elementId, active: 0, completed: 0, terminated: 0, incidents: 0 };
            m.set(elementId, e);
          }
          return e;
        };
        for (const s of running) {
          if (!s.id || s.id.endsWith('#multiInstanceBody')) continue;
          const e = get(s.id);
          e.active = s.instances ?? 0;
          e.incidents = (s.incidents ?? []).reduce((n, i) => n + (i.incidentCount ?? 0), 0);
        }
        for (const s of ended) {
          if (!s.id || s.id.endsWith('#multiInstanceBody')) continue;
          const e = get(s.id);
          e.terminated = s.canceled ?? 0;
          e.completed = Math.max(0, (s.finished ?? 0) - e.terminated);
        }
        return [...m.values()].sort((a, b) => a.elementId.localeCompare(b.elementId));
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },

    async listIncidents(f) {
      const query = {
        ...(f.state === 'active'
          ? { open: true }
          : f.state === 'resolved'
            ? { resolved: true }
            : {}),
        ...(f.process ? { processDefinitionKey: f.process } : {}),
        ...(f.processInstanceId ? { processInstanceId: f.processInstanceId } : {}),
      };
      const [count, rows] = await Promise.all([
        rest.GET('/history/incident/count', { params: { query } }).then(ok),
        rest
          .GET('/history/incident', {
            params: {
              query: {
                ...query,
                sortBy: 'createTime',
                sortOrder: 'desc',
                firstResult: f.offset,
                maxResults: f.limit,
              },
            },
          })
          .then(ok),
      ]);
      return { total: count.count ?? 0, items: rows.map(toIncident) };
    },

    async retryIncident(id, retries) {
      const found = await actionable(id);
      if ('result' in found) return found.result;
      const { incident } = found;
      try {
        if (incident.incidentType === 'failedExternalTask' && incident.configuration)
          ok(
            await rest.PUT('/external-task/{id}/retries', {
              params: { path: { id: incident.configuration } },
              body: { retries },
            }),
          );
        else if (incident.incidentType === 'failedJob' && incident.configuration)
          ok(
            await rest.PUT('/job/{id}/retries', {
              params: { path: { id: incident.configuration } },
              body: { retries },
            }),
          );
        else
          return {
            id,
            status: 'refused',
            detail: `incident ${id} (${incident.incidentType}) has no job to retry; resolve it instead`,
            incident,
          };
      } catch (err) {
        return engineFailure(id, err, incident);
      }
      return { id, status: 'retried', incident };
    },

    async resolveIncident(id) {
      const found = await actionable(id);
      if ('result' in found) return found.result;
      const { incident } = found;
      if (incident.incidentType === 'failedJob' || incident.incidentType === 'failedExternalTask')
        return {
          id,
          status: 'refused',
          detail: `incident ${id} is a failed ${incident.incidentType === 'failedJob' ? 'job' : 'external task'}: retry it to resolve it`,
          incident,
        };
      try {
        ok(await rest.DELETE('/incident/{id}', { params: { path: { id: incident.id } } }));
      } catch (err) {
        return engineFailure(id, err, incident);
      }
      return { id, status: 'resolved', incident };
    },

    async listDefinitions(bpmnProcessId) {
      const defs: ProcessDefinition[] = ok(
        await rest.GET('/process-definition', {
          params: {
            query: {
              ...(bpmnProcessId ? { key: bpmnProcessId } : {}),
              sortBy: 'version',
              sortOrder: 'desc',
            },
          },
        }),
      );
      const deploymentIds = [
        ...new Set(defs.map((d) => d.deploymentId).filter(Boolean)),
      ] as string[];
      const deployedAt = new Map<string, string | null>();
      await mapLimit(deploymentIds, 8, async (id) => {
        try {
          const d = ok(await rest.GET('/deployment/{id}', { params: { path: { id } } }));
          deployedAt.set(id, fromEngineDate(d.deploymentTime));
        } catch (err) {
          if (!notFound(err)) throw err;
        }
      });
      const counts = await mapLimit(defs, 4, (d) => countsOf(d.id!));
      const byProcess = new Map<string, ProcessWithVersions>();
      defs.forEach((d, i) => {
        const key = d.key ?? '';
        let p = byProcess.get(key);
        if (!p) {
          p = { bpmnProcessId: key, name: d.name ?? null, versions: [] };
          byProcess.set(key, p);
        }
        p.versions.push({
          id: d.id!,
          bpmnProcessId: key,
          name: d.name ?? null,
          version: d.version ?? 0,
          versionTag: d.versionTag ?? null,
          resourceName: d.resource ?? '',
          deploymentId: d.deploymentId ?? '',
          deployedAt: deployedAt.get(d.deploymentId ?? '') ?? null,
          instances: counts[i]!,
        });
      });
      for (const p of byProcess.values()) p.versions.sort((a, b) => b.version - a.version);
      return [...byProcess.values()].sort((a, b) => a.bpmnProcessId.localeCompare(b.bpmnProcessId));
    },

    async latestVersion(bpmnProcessId) {
      const [d] = ok(
        await rest.GET('/process-definition', {
          params: { query: { key: bpmnProcessId, latestVersion: true } },
        }),
      );
      return d?.id
        ? { id: d.id, version: d.version ?? 0, resourceName: d.resource ?? '' }
        : undefined;
    },

    instanceCounts: countsOf,
  };
}
