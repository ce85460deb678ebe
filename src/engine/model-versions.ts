import { createHash } from 'node:crypto';
import type { Zeebe } from '@camunda8/sdk';
import { BpmnModdle } from 'bpmn-moddle';
import type { Logger } from 'pino';
import { instanceCountsByDefinition } from '../cases/engine-history.js';
import type { Pool } from '../db/pool.js';
import { deployModels, type DeployedProcess } from './deployment.js';
import { checkModel, type ModelProblem } from './model-lint.js';

type ZeebeGrpcClient = Zeebe.ZeebeGrpcClient;

/** One problem of a model, as the analyst sees it (the file is the version itself). */
export type VersionProblem = Omit<ModelProblem, 'file'>;

export interface LintResult {
  errors: number;
  warnings: number;
  problems: VersionProblem[];
}

export interface InstanceCounts {
  total: number;
  /** per engine-history state (e.g. ACTIVE, COMPLETED, TERMINATED) */
  byState: Record<string, number>;
}

export interface ModelVersion {
  version: number;
  definitionKey: string;
  deployedAt: string;
  /** the analyst's id for an upload; null for the deployment at start-up */
  deployedBy: string | null;
  resourceName: string;
  checksum: string;
  /** null when no engine history is recorded in this database */
  instances: InstanceCounts;
  /** null when the XML of this version was not kept (deployed before it was recorded) */
  lint: LintResult | null;
}

export interface ProcessModel {
  bpmnProcessId: string;
  name: string | null;
  /** newest first */
  versions: ModelVersion[];
}

const lintCache = new Map<string, LintResult>();

/** Lints a deployed version exactly as the start-up gate does; cached by content and engine. */
export async function lintVersion(xml: string, engineVersion: string): Promise<LintResult> {
  const key = `${engineVersion}:${createHash('sha256').update(xml).digest('hex')}`;
  const cached = lintCache.get(key);
  if (cached) return cached;
  const checked = await checkModel('model.bpmn', xml, engineVersion);
  const problems = checked.problems.map(({ file: _file, ...p }) => p);
  const result = {
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warning').length,
    problems,
  };
  if (lintCache.size > 500) lintCache.clear();
  lintCache.set(key, result);
  return result;
}

/** The processes of a model file with their names (bpmn:Process elements). */
export async function processesOf(xml: string): Promise<{ id: string; name: string | null }[]> {
  try {
    const { rootElement } = await new BpmnModdle().fromXML(xml, 'bpmn:Definitions');
    const roots =
      (rootElement as { rootElements?: { $type: string; id: string; name?: string }[] })
        .rootElements ?? [];
    return roots
      .filter((e) => e.$type === 'bpmn:Process')
      .map((e) => ({ id: e.id, name: e.name ?? null }));
  } catch {
    return [];
  }
}

/** Instances per process definition key from the engine history the broker's exporter records. */
export async function instancesPerVersion(pool: Pool): Promise<Map<string, InstanceCounts>> {
  const counts = new Map<string, InstanceCounts>();
  for (const r of await instanceCountsByDefinition(pool)) {
    const c = counts.get(r.key) ?? { total: 0, byState: {} };
    c.total += r.n;
    c.byState[r.state] = r.n;
    counts.set(r.key, c);
  }
  return counts;
}

interface VersionRow {
  definitionKey: string;
  processId: string;
  version: number;
  resourceName: string;
  checksum: string;
  deployedAt: Date;
  deployedBy: string | null;
  xml: string | null;
}

/** Every deployed process with its versions, instance counts and the lint result of each. */
export async function listProcessModels(
  pool: Pool,
  engineVersion: string,
): Promise<ProcessModel[]> {
  const { rows } = await pool.query<VersionRow>(
    `SELECT definition_key AS "definitionKey", process_id AS "processId", version,
            resource_name AS "resourceName", checksum, deployed_at AS "deployedAt",
            deployed_by AS "deployedBy", xml
       FROM model_deployment ORDER BY process_id, version DESC`,
  );
  const instances = await instancesPerVersion(pool);
  const byProcess = new Map<string, ProcessModel>();
  for (const r of rows) {
    let p = byProcess.get(r.processId);
    if (!p) {
      // the newest version with its XML names the process
      const name = r.xml
        ? ((await processesOf(r.xml)).find((e) => e.id === r.processId)?.name ?? null)
        : null;
      p = { bpmnProcessId: r.processId, name, versions: [] };
      byProcess.set(r.processId, p);
    }
    p.versions.push({
      version: r.version,
      definitionKey: r.definitionKey,
      deployedAt: r.deployedAt.toISOString(),
      deployedBy: r.deployedBy,
      resourceName: r.resourceName,
      checksum: r.checksum,
      instances: instances.get(r.definitionKey) ?? { total: 0, byState: {} },
      lint: r.xml ? await lintVersion(r.xml, engineVersion) : null,
    });
  }
  return [...byProcess.values()];
}

export interface VersionXml {
  definitionKey: string;
  processId: string;
  version: number;
  resourceName: string;
  xml: string | null;
}

export async function versionXml(pool: Pool, definitionKey: string): Promise<VersionXml | null> {
  const { rows } = await pool.query<VersionXml>(
    `SELECT definition_key AS "definitionKey", process_id AS "processId", version,
            resource_name AS "resourceName", xml
       FROM model_deployment WHERE definition_key = $1`,
    [definitionKey],
  );
  return rows[0] ?? null;
}

export type UploadOutcome =
  { refused: true; problems: VersionProblem[] } | { refused: false; deployed: DeployedProcess[] };

/**
 * Checks an uploaded model exactly as the start-up gate does (same rules, the engine's
 * version) and deploys it when it has no errors. Only processes already deployed here may get a
 * new version unless `allowNewProcess` (administrators); the resource keeps the name of the
 * version it replaces, so Zeebe sees one resource evolving. Nothing is deployed on refusal.
 */
export async function deployUploadedModel(
  deps: { pool: Pool; zeebe: ZeebeGrpcClient; engineVersion: string; log: Logger },
  upload: { fileName: string; xml: string; actor: string; allowNewProcess: boolean },
): Promise<UploadOutcome> {
  const checked = await checkModel(upload.fileName, upload.xml, deps.engineVersion);
  const problems: VersionProblem[] = checked.problems
    .filter((p) => p.severity === 'error')
    .map(({ file: _file, ...p }) => p);
  if (problems.length > 0) return { refused: true, problems };
  if (checked.processIds.length === 0)
    return {
      refused: true,
      problems: [
        {
          element: '(definitions)',
          rule: 'no-process',
          message: 'the file contains no process',
          severity: 'error',
        },
      ],
    };
  const { rows } = await deps.pool.query<{ processId: string; resourceName: string }>(
    `SELECT DISTINCT ON (process_id) process_id AS "processId", resource_name AS "resourceName"
       FROM model_deployment WHERE process_id = ANY($1) ORDER BY process_id, version DESC`,
    [checked.processIds],
  );
  const unknown = checked.processIds.filter((id) => !rows.some((r) => r.processId === id));
  if (unknown.length > 0 && !upload.allowNewProcess)
    return {
      refused: true,
      problems: unknown.map((id) => ({
        element: id,
        rule: 'unknown-process',
        message: `process "${id}" is not deployed here; only new versions of our processes are accepted`,
        severity: 'error' as const,
      })),
    };
  const resourceName = rows[0]?.resourceName ?? upload.fileName;
  try {
    const deployed = await deployModels(
      deps.zeebe,
      deps.pool,
      [{ ...checked, file: resourceName }],
      deps.log,
      upload.actor,
    );
    return { refused: false, deployed };
  } catch (err) {
    // The engine validates more than the linter (e.g. FEEL expressions) and then deploys
    // nothing (gRPC INVALID_ARGUMENT); any other failure is the engine's or ours, not the model's.
    const e = err as { code?: number; message?: string };
    if (e.code !== 3 && !/INVALID_ARGUMENT/.test(e.message ?? '')) throw err;
    return {
      refused: true,
      problems: [
        {
          element: '(document)',
          rule: 'engine-deployment',
          message: (err as Error).message,
          severity: 'error',
        },
      ],
    };
  }
}
