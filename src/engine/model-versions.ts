import { createHash } from 'node:crypto';
import { BpmnModdle } from 'bpmn-moddle';
import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import type { EngineHistory, InstanceCountsByState } from './history.js';
import { checkModel, type ModelProblem } from './model-lint.js';
import { checksumOf, deployModels, ModelRefusedError, type DeployedProcess } from './models.js';
import type { EngineRest } from './rest.js';

/** One problem of a model, as the analyst sees it (the file is the version itself). */
export type VersionProblem = Omit<ModelProblem, 'file'>;

export interface LintResult {
  errors: number;
  warnings: number;
  problems: VersionProblem[];
}

export interface InstanceCounts {
  total: number;
  /** per state: active, incident, completed, cancelled */
  byState: InstanceCountsByState;
}

export interface ModelVersion {
  version: number;
  /** the engine's process definition id */
  definitionId: string;
  deployedAt: string | null;
  /** the analyst's id for an upload; null for the deployment at start-up (or unknown) */
  deployedBy: string | null;
  resourceName: string;
  checksum: string;
  instances: InstanceCounts;
  /** null when the engine has no XML for this version */
  lint: LintResult | null;
}

export interface ProcessModel {
  bpmnProcessId: string;
  name: string | null;
  /** newest first */
  versions: ModelVersion[];
}

export interface ModelViewDeps {
  rest: EngineRest;
  history: EngineHistory;
  pool: Pool;
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

const total = (c: InstanceCountsByState) => c.active + c.incident + c.completed + c.cancelled;

/**
 * Every deployed process with its versions (from the engine), instance counts per version and
 * state, who deployed each (table model_deployment) and the lint result of each.
 */
export async function listProcessModels(
  deps: ModelViewDeps,
  engineVersion: string,
): Promise<ProcessModel[]> {
  const processes = await deps.history.listDefinitions();
  const { rows } = await deps.pool.query<{ definitionId: string; deployedBy: string | null }>(
    `SELECT definition_id AS "definitionId", deployed_by AS "deployedBy" FROM model_deployment`,
  );
  const deployedBy = new Map(rows.map((r) => [r.definitionId, r.deployedBy]));
  const out: ProcessModel[] = [];
  for (const p of processes) {
    const versions: ModelVersion[] = [];
    for (const v of p.versions) {
      const xml = await deps.history.definitionXml(v.id);
      versions.push({
        version: v.version,
        definitionId: v.id,
        deployedAt: v.deployedAt,
        deployedBy: deployedBy.get(v.id) ?? null,
        resourceName: v.resourceName,
        checksum: xml ? checksumOf(xml) : '',
        instances: { total: total(v.instances), byState: v.instances },
        lint: xml ? await lintVersion(xml, engineVersion) : null,
      });
    }
    out.push({ bpmnProcessId: p.bpmnProcessId, name: p.name, versions });
  }
  return out;
}

export type UploadOutcome =
  { refused: true; problems: VersionProblem[] } | { refused: false; deployed: DeployedProcess[] };

/**
 * Checks an uploaded model exactly as the start-up gate does (same rules, the engine's
 * version) and deploys it when it has no errors. Only processes already deployed here may get a
 * new version unless `allowNewProcess` (administrators); the resource keeps the name of the
 * version it replaces and the deployment the name and source of the start-up's, so the engine's
 * duplicate filtering sees one resource evolving. Nothing is deployed on refusal.
 */
export async function deployUploadedModel(
  deps: ModelViewDeps & { engineVersion: string; log: Logger },
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
  const known = new Map<string, string>();
  for (const id of checked.processIds) {
    const latest = await deps.history.latestVersion(id);
    if (latest) known.set(id, latest.resourceName);
  }
  const unknown = checked.processIds.filter((id) => !known.has(id));
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
  const resourceName = known.get(checked.processIds[0]!) ?? upload.fileName;
  try {
    const deployed = await deployModels(
      { rest: deps.rest, pool: deps.pool, log: deps.log },
      [{ ...checked, file: resourceName }],
      upload.actor,
    );
    return { refused: false, deployed };
  } catch (err) {
    // The engine validates more than the linter (e.g. expressions) and then deploys nothing.
    if (!(err instanceof ModelRefusedError)) throw err;
    return {
      refused: true,
      problems: (err.details.length
        ? err.details
        : [{ element: '(document)', message: err.message }]
      ).map((d) => ({
        element: d.element,
        rule: 'engine-deployment',
        message: d.message,
        severity: 'error' as const,
      })),
    };
  }
}
