import type { Pool } from '../db/pool.js';

/**
 * Queries over the engine's history (engine_* tables, written by src/engine/history-intake.ts)
 * for the operator console. Keys are returned as text: engine keys may exceed 2^53.
 */

export const INSTANCE_STATES = ['active', 'completed', 'incident', 'cancelled'] as const;
export type InstanceState = (typeof INSTANCE_STATES)[number];

export interface InstanceFilter {
  /** application or case id; digits: application registration number or instance key */
  q?: string;
  process?: string;
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
  key: string;
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  state: InstanceState;
  startedAt: string;
  endedAt: string | null;
  parentKey: string | null;
  caseType: string | null;
  caseId: string | null;
  applicationId: string | null;
  incidentCount: number;
}

// An instance "in incident" is an active one with an active incident.
const INSTANCE_COLUMNS = `pi.key::text AS key, pi.bpmn_process_id AS "bpmnProcessId", pi.version,
  pi.process_definition_key::text AS "processDefinitionKey",
  CASE WHEN pi.state = 'active' AND coalesce(inc.n, 0) > 0 THEN 'incident' ELSE pi.state END AS state,
  pi.started_at AS "startedAt", pi.ended_at AS "endedAt", pi.parent_key::text AS "parentKey",
  pi.case_type AS "caseType", pi.case_id AS "caseId", pi.application_id AS "applicationId",
  coalesce(inc.n, 0)::int AS "incidentCount"`;

const INCIDENT_COUNT_JOIN = `LEFT JOIN LATERAL (
    SELECT count(*) AS n FROM engine_incident i WHERE i.process_instance_key = pi.key AND i.state = 'active'
  ) inc ON true`;

const ACTIVE_INCIDENT = `EXISTS (SELECT 1 FROM engine_incident i WHERE i.process_instance_key = pi.key AND i.state = 'active')`;

export async function searchInstances(
  db: Pool,
  f: InstanceFilter,
): Promise<{ total: number; items: InstanceSummary[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...vs: unknown[]) => {
    let s = sql;
    for (const v of vs) {
      params.push(v);
      s = s.replace('?', `$${params.length}`);
    }
    where.push(s);
  };
  if (f.q && /^\d{1,19}$/.test(f.q) && BigInt(f.q) <= 9223372036854775807n)
    // digits: an application's registration number, or an instance key
    add(
      `(pi.key = ?::bigint OR pi.application_id IN
         (SELECT id::text FROM application WHERE registration_number = ?::bigint))`,
      f.q,
      f.q,
    );
  else if (f.q) add('(pi.case_id = ? OR pi.application_id = ?)', f.q, f.q);
  if (f.process) add('pi.bpmn_process_id = ?', f.process);
  if (f.version !== undefined) add('pi.version = ?', f.version);
  if (f.state === 'incident') where.push(`pi.state = 'active' AND ${ACTIVE_INCIDENT}`);
  else if (f.state === 'active') where.push(`pi.state = 'active' AND NOT ${ACTIVE_INCIDENT}`);
  else if (f.state) add('pi.state = ?', f.state);
  if (f.startedFrom) add('pi.started_at >= ?', f.startedFrom);
  if (f.startedTo) add('pi.started_at < ?', f.startedTo);
  if (f.endedFrom) add('pi.ended_at >= ?', f.endedFrom);
  if (f.endedTo) add('pi.ended_at < ?', f.endedTo);
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM engine_process_instance pi ${clause}`,
    params,
  );
  const { rows } = await db.query<InstanceSummary>(
    `SELECT ${INSTANCE_COLUMNS} FROM engine_process_instance pi ${INCIDENT_COUNT_JOIN} ${clause}
      ORDER BY pi.started_at DESC, pi.key DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return { total: total.rows[0]!.n, items: rows };
}

export interface ElementSummary {
  elementId: string;
  active: number;
  completed: number;
  terminated: number;
  incidents: number;
}

export interface ElementInstance {
  key: string;
  elementId: string;
  elementType: string;
  state: 'active' | 'completed' | 'terminated';
  startedAt: string;
  endedAt: string | null;
}

export interface Incident {
  key: string;
  processInstanceKey: string;
  processDefinitionKey: string | null;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  jobKey: string | null;
  errorType: string;
  errorMessage: string;
  state: 'active' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  caseType: string | null;
  caseId: string | null;
}

const INCIDENT_COLUMNS = `i.key::text AS key, i.process_instance_key::text AS "processInstanceKey",
  i.process_definition_key::text AS "processDefinitionKey", i.bpmn_process_id AS "bpmnProcessId",
  i.element_id AS "elementId", i.element_instance_key::text AS "elementInstanceKey",
  i.job_key::text AS "jobKey", i.error_type AS "errorType", i.error_message AS "errorMessage",
  i.state, i.created_at AS "createdAt", i.resolved_at AS "resolvedAt",
  pi.case_type AS "caseType", pi.case_id AS "caseId"`;

export interface Deadline {
  jobKey: string;
  elementId: string;
  dueAt: string | null;
  citation: string | null;
  assignee: string | null;
  candidateGroups: string[];
  overdueEscalatedAt: string | null;
}

export interface InstanceDetail {
  instance: InstanceSummary;
  elements: ElementSummary[];
  history: ElementInstance[];
  variables: { name: string; value: unknown; scopeKey: string }[];
  incidents: Incident[];
  deadlines: Deadline[];
}

const KEY = /^\d{1,19}$/;

export async function getInstance(db: Pool, key: string): Promise<InstanceDetail | undefined> {
  if (!KEY.test(key)) return undefined;
  const found = await db.query<InstanceSummary>(
    `SELECT ${INSTANCE_COLUMNS} FROM engine_process_instance pi ${INCIDENT_COUNT_JOIN} WHERE pi.key = $1`,
    [key],
  );
  const instance = found.rows[0];
  if (!instance) return undefined;
  // Multi-instance bodies share their activity's id: counting them would count it twice.
  const [elements, history, variables, incidents, deadlines] = await Promise.all([
    db.query<ElementSummary>(
      `SELECT element_id AS "elementId",
              sum(active)::int AS active, sum(completed)::int AS completed,
              sum(terminated)::int AS terminated, sum(incidents)::int AS incidents
         FROM (SELECT element_id, (state = 'active')::int AS active, (state = 'completed')::int AS completed,
                      (state = 'terminated')::int AS terminated, 0 AS incidents
                 FROM engine_element_instance
                WHERE process_instance_key = $1 AND element_type <> 'MULTI_INSTANCE_BODY'
               UNION ALL
               SELECT element_id, 0, 0, 0, 1 FROM engine_incident
                WHERE process_instance_key = $1 AND state = 'active') e
        GROUP BY element_id ORDER BY element_id`,
      [key],
    ),
    db.query<ElementInstance>(
      `SELECT key::text AS key, element_id AS "elementId", element_type AS "elementType", state,
              started_at AS "startedAt", ended_at AS "endedAt"
         FROM engine_element_instance WHERE process_instance_key = $1 ORDER BY started_at, key`,
      [key],
    ),
    db.query<{ name: string; value: unknown; scopeKey: string }>(
      `SELECT name, value, scope_key::text AS "scopeKey" FROM engine_variable
        WHERE process_instance_key = $1 ORDER BY scope_key = process_instance_key DESC, scope_key, name`,
      [key],
    ),
    db.query<Incident>(
      `SELECT ${INCIDENT_COLUMNS} FROM engine_incident i
         JOIN engine_process_instance pi ON pi.key = i.process_instance_key
        WHERE i.process_instance_key = $1 ORDER BY i.created_at, i.key`,
      [key],
    ),
    // The citation of a review deadline is a variable every review process sets.
    db.query<Deadline>(
      `SELECT t.job_key AS "jobKey", t.element_id AS "elementId", t.due_at AS "dueAt",
              (SELECT v.value #>> '{}' FROM engine_variable v
                WHERE v.scope_key = $1 AND v.name = 'reviewDeadlineCitation') AS citation,
              t.assignee, t.candidate_groups AS "candidateGroups",
              t.overdue_escalated_at AS "overdueEscalatedAt"
         FROM review_task t
        WHERE t.process_instance_key = $1::text AND t.completed_at IS NULL
        ORDER BY t.due_at NULLS LAST`,
      [key],
    ),
  ]);
  return {
    instance,
    elements: elements.rows,
    history: history.rows,
    variables: variables.rows,
    incidents: incidents.rows,
    deadlines: deadlines.rows,
  };
}

export interface DefinitionVersion {
  key: string;
  version: number;
  versionTag: string | null;
  resourceName: string;
  deployedAt: string;
  instances: { active: number; incident: number; completed: number; cancelled: number };
}

export async function listDefinitions(
  db: Pool,
): Promise<{ bpmnProcessId: string; versions: DefinitionVersion[] }[]> {
  const { rows } = await db.query<DefinitionVersion & { bpmnProcessId: string }>(
    `SELECT d.bpmn_process_id AS "bpmnProcessId", d.key::text AS key, d.version,
            d.version_tag AS "versionTag", d.resource_name AS "resourceName", d.deployed_at AS "deployedAt",
            json_build_object(
              'active', count(*) FILTER (WHERE pi.state = 'active' AND NOT coalesce(x.inc, false)),
              'incident', count(*) FILTER (WHERE pi.state = 'active' AND coalesce(x.inc, false)),
              'completed', count(*) FILTER (WHERE pi.state = 'completed'),
              'cancelled', count(*) FILTER (WHERE pi.state = 'cancelled')) AS instances
       FROM engine_process_definition d
       LEFT JOIN engine_process_instance pi ON pi.process_definition_key = d.key
       LEFT JOIN LATERAL (SELECT true AS inc FROM engine_incident i
                           WHERE i.process_instance_key = pi.key AND i.state = 'active' LIMIT 1) x ON true
      GROUP BY d.key
      ORDER BY d.bpmn_process_id, d.version DESC`,
  );
  const byProcess = new Map<string, DefinitionVersion[]>();
  for (const { bpmnProcessId, ...v } of rows) {
    const list = byProcess.get(bpmnProcessId) ?? [];
    list.push(v);
    byProcess.set(bpmnProcessId, list);
  }
  return [...byProcess].map(([bpmnProcessId, versions]) => ({ bpmnProcessId, versions }));
}

/** Instances per process definition key and state, "incident" derived as everywhere here. */
export async function instanceCountsByDefinition(
  db: Pool,
): Promise<{ key: string; state: InstanceState; n: number }[]> {
  const { rows } = await db.query<{ key: string; state: InstanceState; n: number }>(
    `SELECT pi.process_definition_key::text AS key,
            CASE WHEN pi.state = 'active' AND ${ACTIVE_INCIDENT} THEN 'incident' ELSE pi.state END AS state,
            count(*)::int AS n
       FROM engine_process_instance pi GROUP BY 1, 2`,
  );
  return rows;
}

export async function definitionXml(db: Pool, key: string): Promise<string | undefined> {
  if (!KEY.test(key)) return undefined;
  const { rows } = await db.query<{ xml: string }>(
    `SELECT xml FROM engine_process_definition WHERE key = $1`,
    [key],
  );
  return rows[0]?.xml;
}

export interface IncidentFilter {
  state?: 'active' | 'resolved';
  process?: string;
  limit: number;
  offset: number;
}

export async function listIncidents(
  db: Pool,
  f: IncidentFilter,
): Promise<{ total: number; items: Incident[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.state) {
    params.push(f.state);
    where.push(`i.state = $${params.length}`);
  }
  if (f.process) {
    params.push(f.process);
    where.push(`i.bpmn_process_id = $${params.length}`);
  }
  const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM engine_incident i ${clause}`,
    params,
  );
  const { rows } = await db.query<Incident>(
    `SELECT ${INCIDENT_COLUMNS} FROM engine_incident i
       LEFT JOIN engine_process_instance pi ON pi.key = i.process_instance_key
       ${clause} ORDER BY i.created_at DESC, i.key DESC LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return { total: total.rows[0]!.n, items: rows };
}

export async function getIncident(db: Pool, key: string): Promise<Incident | undefined> {
  if (!KEY.test(key)) return undefined;
  const { rows } = await db.query<Incident>(
    `SELECT ${INCIDENT_COLUMNS} FROM engine_incident i
       LEFT JOIN engine_process_instance pi ON pi.key = i.process_instance_key
      WHERE i.key = $1`,
    [key],
  );
  return rows[0];
}
