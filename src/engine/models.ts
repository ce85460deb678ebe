import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import { checkAllModels, type CheckedModel } from './model-lint.js';
import { ok, type EngineRest, type EngineSchemas } from './rest.js';

/**
 * Deployment of the BPMN models to the engine. Each model file is one deployment named after
 * its (first) process id, under one stable source, with the engine's duplicate filtering
 * (`deploy-changed-only`): a file whose content did not change creates no new version. Table
 * `model_deployment` records which version was deployed by whom (an analyst's upload, or the
 * start-up: null) and the checksum of its XML; the XML itself stays in the engine.
 */

/** The deployment source of every model this app deploys (duplicate filtering compares within it). */
export const DEPLOYMENT_SOURCE = 'az-housing';

export interface DeployedProcess {
  processId: string;
  version: number;
  /** the engine's process definition id of that version */
  definitionId: string;
  resourceName: string;
  /** false when the engine already had this exact model (no new version was created) */
  created: boolean;
}

export interface ModelDeployDeps {
  rest: EngineRest;
  pool: Pool;
  log: Logger;
}

export function checksumOf(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('hex');
}

/** The engine's version, e.g. "1.0.3" (the lint target). */
export async function engineVersion(rest: EngineRest): Promise<string> {
  return ok(await rest.GET('/version')).version ?? '';
}

/** The deployment name of a model: its first process id (the file name without a process). */
export function deploymentNameOf(model: Pick<CheckedModel, 'file' | 'processIds'>): string {
  return model.processIds[0] ?? model.file.replace(/\.bpmn$/i, '');
}

/** The engine refused the model itself (a parse or validation error, 400). */
export class ModelRefusedError extends Error {
  constructor(
    readonly resourceName: string,
    message: string,
    readonly details: { element: string; message: string }[] = [],
  ) {
    super(message);
    this.name = 'ModelRefusedError';
  }
}

/**
 * One model file as one deployment: multipart/form-data, which the generated types describe
 * only for a single `data` part, so the form is built here and the typed fields checked.
 */
async function deployOne(
  rest: EngineRest,
  model: { file: string; xml: string; processIds: string[] },
): Promise<
  Record<
    string,
    { id?: string | null; key?: string | null; version?: number | null; resource?: string | null }
  >
> {
  const fields = {
    'deployment-name': deploymentNameOf(model),
    'deployment-source': DEPLOYMENT_SOURCE,
    'enable-duplicate-filtering': true,
    'deploy-changed-only': true,
  } satisfies Partial<EngineSchemas['MultiFormDeploymentDto']>;
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
  form.append('data', new Blob([model.xml], { type: 'application/octet-stream' }), model.file);
  const result = await rest.POST('/deployment/create', {
    body: fields as never,
    bodySerializer: () => form,
  });
  if (!result.response.ok && result.response.status === 400) {
    const e = (result.error ?? {}) as {
      message?: string;
      details?: Record<string, { errors?: { message?: string; mainElementId?: string }[] }>;
    };
    const details = Object.values(e.details ?? {}).flatMap((r) =>
      (r.errors ?? []).map((x) => ({
        element: x.mainElementId ?? '(document)',
        message: x.message ?? '',
      })),
    );
    throw new ModelRefusedError(model.file, e.message ?? 'the engine refused the model', details);
  }
  return ok(result).deployedProcessDefinitions ?? {};
}

/** The newest version of a process in the engine. */
async function latestDefinition(rest: EngineRest, processId: string) {
  const defs = ok(
    await rest.GET('/process-definition', {
      params: { query: { key: processId, latestVersion: true } },
    }),
  );
  return defs[0];
}

/**
 * Deploys models that passed the check, one deployment per file. An unchanged file creates no
 * version; `created` tells which ones were new. Throws ModelRefusedError when the engine refuses
 * a model (nothing of that file is deployed).
 */
export async function deployModels(
  deps: ModelDeployDeps,
  models: Pick<CheckedModel, 'file' | 'xml' | 'processIds'>[],
  /** who deployed: an analyst's id for an upload; unset for the deployment at start-up */
  deployedBy?: string,
): Promise<DeployedProcess[]> {
  const result: DeployedProcess[] = [];
  for (const m of models) {
    const deployed = Object.values(await deployOne(deps.rest, m));
    const checksum = checksumOf(m.xml);
    for (const processId of m.processIds) {
      const fresh = deployed.find((d) => d.key === processId);
      const def = fresh ?? (await latestDefinition(deps.rest, processId));
      if (!def?.id) continue;
      // Recorded once per version; an unchanged version deployed before this table knew it
      // (e.g. by another node) is recorded with the engine's copy of its XML.
      const known = await deps.pool.query(
        'SELECT 1 FROM model_deployment WHERE definition_id = $1',
        [def.id],
      );
      if (known.rowCount === 0)
        await deps.pool.query(
          `INSERT INTO model_deployment
             (definition_id, process_id, version, resource_name, checksum, deployed_by)
           VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (definition_id) DO NOTHING`,
          [
            def.id,
            processId,
            def.version ?? 0,
            def.resource ?? m.file,
            fresh ? checksum : checksumOf(await definitionXmlOf(deps.rest, def.id)),
            fresh ? (deployedBy ?? null) : null,
          ],
        );
      result.push({
        processId,
        version: def.version ?? 0,
        definitionId: def.id,
        resourceName: def.resource ?? m.file,
        created: !!fresh,
      });
    }
  }
  for (const r of result)
    deps.log.info(
      { process: r.processId, version: r.version, created: r.created },
      r.created ? 'model deployed' : 'model unchanged',
    );
  return result;
}

async function definitionXmlOf(rest: EngineRest, id: string): Promise<string> {
  return (
    ok(await rest.GET('/process-definition/{id}/xml', { params: { path: { id } } })).bpmn20Xml ?? ''
  );
}

/**
 * The model files to deploy at start. Duplicate filtering compares a file with the newest
 * version only, so a file whose exact content was deployed before would come back as a new
 * version over a newer one an analyst uploaded, silently undoing it. Such files are left out (and
 * logged); a file with new content is deployed as usual: the newest change wins.
 */
export async function filesNotSupersededByUploads(
  pool: Pool,
  models: CheckedModel[],
  log: Logger,
): Promise<CheckedModel[]> {
  const keep: CheckedModel[] = [];
  for (const m of models) {
    const checksum = checksumOf(m.xml);
    const { rows } = await pool.query<{ processId: string; version: number; deployedBy: string }>(
      `SELECT latest.process_id AS "processId", latest.version, latest.deployed_by AS "deployedBy"
         FROM (SELECT DISTINCT ON (process_id) process_id, version, deployed_by, checksum
                 FROM model_deployment WHERE process_id = ANY($1) ORDER BY process_id, version DESC) latest
        WHERE latest.deployed_by IS NOT NULL AND latest.checksum <> $2
          AND EXISTS (SELECT 1 FROM model_deployment older
                       WHERE older.process_id = latest.process_id AND older.checksum = $2)`,
      [m.processIds, checksum],
    );
    if (rows.length === 0) {
      keep.push(m);
      continue;
    }
    for (const r of rows)
      log.warn(
        { file: m.file, process: r.processId, version: r.version, uploadedBy: r.deployedBy },
        'model file unchanged since an analyst uploaded a newer version: the upload stays; save it into workflows/ to keep it in the repository',
      );
  }
  return keep;
}

/**
 * Start-up: checks every model in the folder (throws ModelCheckError naming every error), leaves
 * out files an analyst's upload superseded, and deploys the rest.
 */
export async function checkAndDeploy(
  deps: ModelDeployDeps,
  workflowsDir: string,
  opts: { engineVersion?: string } = {},
): Promise<DeployedProcess[]> {
  const models = await checkAllModels(
    workflowsDir,
    opts.engineVersion ?? (await engineVersion(deps.rest)),
  );
  return deployModels(deps, await filesNotSupersededByUploads(deps.pool, models, deps.log));
}
