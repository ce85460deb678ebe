import type { Pool, PoolClient } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';

/**
 * Applies the records of the broker's history exporter (engine/history-exporter) to the
 * engine_* tables that the operator console reads. The mapping from a record to a change is
 * pure (unit-tested); applying a batch is one transaction that skips records at or below the
 * partition's last applied position, so a batch sent again after a crash changes nothing.
 */

/** One exported record as Zeebe serialises it (Record#toJson). Keys may be strings (see reviver). */
export interface EngineRecord {
  partitionId?: number;
  position: number | string;
  key: number | string;
  timestamp: number;
  recordType?: string;
  valueType: string;
  intent: string;
  value: Record<string, unknown>;
}

export interface HistoryBatch {
  partitionId: number;
  records: EngineRecord[];
}

export type HistoryChange =
  | {
      kind: 'definition';
      key: string;
      bpmnProcessId: string;
      version: number;
      versionTag: string | null;
      resourceName: string;
      xml: string;
      deployedAt: string;
    }
  | {
      kind: 'instance-started';
      key: string;
      processDefinitionKey: string;
      bpmnProcessId: string;
      version: number;
      parentKey: string | null;
      parentElementInstanceKey: string | null;
      at: string;
    }
  | { kind: 'instance-ended'; key: string; state: 'completed' | 'cancelled'; at: string }
  | {
      kind: 'element-started';
      key: string;
      processInstanceKey: string;
      elementId: string;
      elementType: string;
      flowScopeKey: string | null;
      at: string;
    }
  | { kind: 'element-ended'; key: string; state: 'completed' | 'terminated'; at: string }
  | {
      kind: 'incident-created';
      key: string;
      processInstanceKey: string;
      processDefinitionKey: string | null;
      bpmnProcessId: string;
      elementId: string;
      elementInstanceKey: string;
      jobKey: string | null;
      errorType: string;
      errorMessage: string;
      at: string;
    }
  | { kind: 'incident-resolved'; key: string; at: string }
  | {
      kind: 'variable';
      processInstanceKey: string;
      scopeKey: string;
      name: string;
      /** the value as JSON text, ready for a jsonb column */
      valueJson: string;
      at: string;
    };

/** The root-scope variables that name the case an instance serves. */
export const CASE_VARIABLES = ['caseId', 'caseType', 'applicationId'] as const;

/**
 * JSON.parse reviver keeping integers beyond 2^53 exact (as strings): engine keys of partitions
 * beyond the third exceed it. Node 24 passes the source text of each primitive.
 */
export function losslessReviver(
  this: unknown,
  _key: string,
  value: unknown,
  context?: { source?: string },
): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source) {
    if (/^-?\d+$/.test(context.source)) return context.source;
  }
  return value;
}

/** An engine key as text; null for absent keys (-1, or 0 for "no job"). */
export function engineKey(v: unknown): string | null {
  if (typeof v === 'number') return v > 0 ? String(v) : null;
  if (typeof v === 'string' && /^\d+$/.test(v) && v !== '0') return v;
  return null;
}

function requiredKey(v: unknown, what: string): string {
  const k = engineKey(v);
  if (!k) throw new Error(`record without ${what}`);
  return k;
}

// PostgreSQL text cannot hold NUL; a record it refuses would block the history behind it.
const str = (v: unknown): string => (typeof v === 'string' ? v.replace(/\u0000/g, '\ufffd') : '');
const iso = (ms: number): string => new Date(ms).toISOString();

/** Variable values are JSON text; keep it when valid (no precision lost), else store a string. */
export function variableJson(raw: unknown): string {
  if (typeof raw !== 'string') return JSON.stringify(raw ?? null);
  try {
    JSON.parse(raw);
    // PostgreSQL's jsonb has no place for NUL in strings.
    return raw.replace(/\\u0000/g, '\\ufffd');
  } catch {
    return JSON.stringify(raw);
  }
}

/** The change one record makes, or undefined for records the history does not keep. */
export function mapRecord(r: EngineRecord): HistoryChange | undefined {
  if (r.recordType && r.recordType !== 'EVENT') return undefined;
  const v = r.value ?? {};
  const at = iso(r.timestamp);
  switch (r.valueType) {
    case 'PROCESS': {
      if (r.intent !== 'CREATED') return undefined;
      const resource = str(v.resource);
      return {
        kind: 'definition',
        key: requiredKey(v.processDefinitionKey ?? r.key, 'processDefinitionKey'),
        bpmnProcessId: str(v.bpmnProcessId),
        version: Number(v.version),
        versionTag: str(v.versionTag) || null,
        resourceName: str(v.resourceName),
        // byte[] fields are base64 in the record's JSON
        xml: Buffer.from(resource, 'base64').toString('utf8'),
        deployedAt: at,
      };
    }
    case 'PROCESS_INSTANCE': {
      const key = requiredKey(r.key, 'key');
      const isProcess = v.bpmnElementType === 'PROCESS';
      switch (r.intent) {
        case 'ELEMENT_ACTIVATING':
          return isProcess
            ? {
                kind: 'instance-started',
                key,
                processDefinitionKey: requiredKey(v.processDefinitionKey, 'processDefinitionKey'),
                bpmnProcessId: str(v.bpmnProcessId),
                version: Number(v.version),
                parentKey: engineKey(v.parentProcessInstanceKey),
                parentElementInstanceKey: engineKey(v.parentElementInstanceKey),
                at,
              }
            : {
                kind: 'element-started',
                key,
                processInstanceKey: requiredKey(v.processInstanceKey, 'processInstanceKey'),
                elementId: str(v.elementId),
                elementType: str(v.bpmnElementType),
                flowScopeKey: engineKey(v.flowScopeKey),
                at,
              };
        case 'ELEMENT_COMPLETED':
          return isProcess
            ? { kind: 'instance-ended', key, state: 'completed', at }
            : { kind: 'element-ended', key, state: 'completed', at };
        case 'ELEMENT_TERMINATED':
          return isProcess
            ? { kind: 'instance-ended', key, state: 'cancelled', at }
            : { kind: 'element-ended', key, state: 'terminated', at };
        default:
          return undefined;
      }
    }
    case 'INCIDENT': {
      const key = requiredKey(r.key, 'key');
      if (r.intent === 'RESOLVED') return { kind: 'incident-resolved', key, at };
      if (r.intent !== 'CREATED') return undefined;
      return {
        kind: 'incident-created',
        key,
        processInstanceKey: requiredKey(v.processInstanceKey, 'processInstanceKey'),
        processDefinitionKey: engineKey(v.processDefinitionKey),
        bpmnProcessId: str(v.bpmnProcessId),
        elementId: str(v.elementId),
        elementInstanceKey: requiredKey(v.elementInstanceKey, 'elementInstanceKey'),
        jobKey: engineKey(v.jobKey),
        errorType: str(v.errorType) || 'UNKNOWN',
        errorMessage: str(v.errorMessage),
        at,
      };
    }
    case 'VARIABLE': {
      if (r.intent !== 'CREATED' && r.intent !== 'UPDATED') return undefined;
      return {
        kind: 'variable',
        processInstanceKey: requiredKey(v.processInstanceKey, 'processInstanceKey'),
        scopeKey: requiredKey(v.scopeKey, 'scopeKey'),
        name: str(v.name),
        valueJson: variableJson(v.value),
        at,
      };
    }
    default:
      return undefined;
  }
}

/** Checks the shape of a posted batch; throws a message naming what is wrong. */
export function parseHistoryBatch(body: unknown): HistoryBatch {
  const b = body as Partial<HistoryBatch> | null;
  if (!b || typeof b !== 'object') throw new Error('body: must be an object');
  if (!Number.isInteger(b.partitionId) || (b.partitionId as number) < 1)
    throw new Error('partitionId: must be a positive integer');
  if (!Array.isArray(b.records)) throw new Error('records: must be an array');
  b.records.forEach((r, i) => {
    const ok =
      r &&
      typeof r === 'object' &&
      (typeof r.position === 'number' || typeof r.position === 'string') &&
      typeof r.timestamp === 'number' &&
      typeof r.valueType === 'string' &&
      typeof r.intent === 'string' &&
      r.value !== null &&
      typeof r.value === 'object';
    if (!ok) throw new Error(`records.${i}: not an engine record`);
  });
  return b as HistoryBatch;
}

async function applyChange(c: PoolClient, ch: HistoryChange, touched: Set<string>): Promise<void> {
  switch (ch.kind) {
    case 'definition':
      await c.query(
        `INSERT INTO engine_process_definition (key, bpmn_process_id, version, version_tag, resource_name, xml, deployed_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
        [
          ch.key,
          ch.bpmnProcessId,
          ch.version,
          ch.versionTag,
          ch.resourceName,
          ch.xml,
          ch.deployedAt,
        ],
      );
      return;
    case 'instance-started':
      await c.query(
        `INSERT INTO engine_process_instance (key, process_definition_key, bpmn_process_id, version, state, started_at, parent_key, parent_element_instance_key)
         VALUES ($1, $2, $3, $4, 'active', $5, $6, $7) ON CONFLICT (key) DO NOTHING`,
        [
          ch.key,
          ch.processDefinitionKey,
          ch.bpmnProcessId,
          ch.version,
          ch.at,
          ch.parentKey,
          ch.parentElementInstanceKey,
        ],
      );
      touched.add(ch.key);
      return;
    case 'instance-ended':
      await c.query(
        `UPDATE engine_process_instance SET state = $2, ended_at = $3 WHERE key = $1 AND ended_at IS NULL`,
        [ch.key, ch.state, ch.at],
      );
      return;
    case 'element-started':
      await c.query(
        `INSERT INTO engine_element_instance (key, process_instance_key, element_id, element_type, flow_scope_key, state, started_at)
         VALUES ($1, $2, $3, $4, $5, 'active', $6) ON CONFLICT (key) DO NOTHING`,
        [ch.key, ch.processInstanceKey, ch.elementId, ch.elementType, ch.flowScopeKey, ch.at],
      );
      return;
    case 'element-ended':
      await c.query(
        `UPDATE engine_element_instance SET state = $2, ended_at = $3 WHERE key = $1 AND ended_at IS NULL`,
        [ch.key, ch.state, ch.at],
      );
      return;
    case 'incident-created':
      await c.query(
        `INSERT INTO engine_incident (key, process_instance_key, process_definition_key, bpmn_process_id, element_id,
           element_instance_key, job_key, error_type, error_message, state, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10) ON CONFLICT (key) DO NOTHING`,
        [
          ch.key,
          ch.processInstanceKey,
          ch.processDefinitionKey,
          ch.bpmnProcessId,
          ch.elementId,
          ch.elementInstanceKey,
          ch.jobKey,
          ch.errorType,
          ch.errorMessage,
          ch.at,
        ],
      );
      return;
    case 'incident-resolved':
      await c.query(
        `UPDATE engine_incident SET state = 'resolved', resolved_at = $2 WHERE key = $1 AND state = 'active'`,
        [ch.key, ch.at],
      );
      return;
    case 'variable':
      await c.query(
        `INSERT INTO engine_variable (scope_key, name, process_instance_key, value, updated_at)
         VALUES ($1, $2, $3, $4::jsonb, $5)
         ON CONFLICT (scope_key, name) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at`,
        [ch.scopeKey, ch.name, ch.processInstanceKey, ch.valueJson, ch.at],
      );
      if (
        ch.scopeKey === ch.processInstanceKey &&
        (CASE_VARIABLES as readonly string[]).includes(ch.name)
      )
        touched.add(ch.processInstanceKey);
      return;
  }
}

/**
 * Names the case of the instances just started or whose case variables changed. The variables
 * may come before or after the instance's own record, so this runs once the batch is in.
 */
async function attributeCases(c: PoolClient, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await c.query(
    `UPDATE engine_process_instance pi SET
        case_type = coalesce(v.case_type, CASE WHEN v.application_id IS NOT NULL THEN 'application' END),
        case_id = coalesce(v.case_id, v.application_id),
        application_id = v.application_id
       FROM (SELECT scope_key,
                    max(value #>> '{}') FILTER (WHERE name = 'caseType') AS case_type,
                    max(value #>> '{}') FILTER (WHERE name = 'caseId') AS case_id,
                    max(value #>> '{}') FILTER (WHERE name = 'applicationId') AS application_id
               FROM engine_variable
              WHERE scope_key = ANY($1::bigint[]) AND name = ANY($2::text[])
              GROUP BY scope_key) v
      WHERE pi.key = v.scope_key`,
    [keys, CASE_VARIABLES],
  );
}

function toBigInt(v: number | string): bigint {
  return BigInt(typeof v === 'number' ? Math.trunc(v) : v);
}

/** Applies one batch in one transaction; returns how many records were new. */
export async function applyHistoryBatch(
  pool: Pool,
  batch: HistoryBatch,
): Promise<{ applied: number; skipped: number }> {
  return inTransaction(pool, async (c) => {
    await c.query(
      `INSERT INTO engine_history_position (partition_id, position) VALUES ($1, -1) ON CONFLICT DO NOTHING`,
      [batch.partitionId],
    );
    // The row lock also serialises two deliveries of the same partition.
    const { rows } = await c.query<{ position: string }>(
      `SELECT position::text AS position FROM engine_history_position WHERE partition_id = $1 FOR UPDATE`,
      [batch.partitionId],
    );
    let last = BigInt(rows[0]!.position);
    const start = last;
    const touched = new Set<string>();
    let applied = 0;
    const records = [...batch.records].sort((a, b) => {
      const d = toBigInt(a.position) - toBigInt(b.position);
      return d < 0n ? -1 : d > 0n ? 1 : 0;
    });
    for (const r of records) {
      const pos = toBigInt(r.position);
      if (pos <= last) continue;
      let change: HistoryChange | undefined;
      try {
        change = mapRecord(r);
      } catch {
        change = undefined; // a malformed record must not block the history behind it
      }
      if (change) await applyChange(c, change, touched);
      last = pos;
      applied++;
    }
    await attributeCases(c, [...touched]);
    if (last > start) {
      await c.query(
        `UPDATE engine_history_position SET position = $2, updated_at = now() WHERE partition_id = $1`,
        [batch.partitionId, last.toString()],
      );
    }
    return { applied, skipped: batch.records.length - applied };
  });
}
