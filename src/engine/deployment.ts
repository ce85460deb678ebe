import { createHash } from 'node:crypto';
import type { Zeebe } from '@camunda8/sdk';
import type { Logger } from 'pino';

type ZeebeGrpcClient = Zeebe.ZeebeGrpcClient;
import type { Pool } from '../db/pool.js';
import { checkAllModels, type CheckedModel } from './model-lint.js';

export interface DeployedProcess {
  processId: string;
  version: number;
  definitionKey: string;
  resourceName: string;
  /** false when the engine already had this exact model (no new version was created) */
  created: boolean;
}

/**
 * Deploys models that passed the check. Zeebe keeps the version of a resource whose content
 * did not change, so deploying on every start creates no new versions; our table records
 * what was deployed, and `created` tells which ones were new.
 */
export async function deployModels(
  zeebe: ZeebeGrpcClient,
  pool: Pool,
  models: CheckedModel[],
  log: Logger,
  /** who deployed: an analyst's id for an upload; unset for the deployment at start-up */
  deployedBy?: string,
): Promise<DeployedProcess[]> {
  if (models.length === 0) return [];
  const response = await zeebe.deployResources(
    models.map((m) => ({ name: m.file, process: Buffer.from(m.xml, 'utf8') })),
  );
  const result: DeployedProcess[] = [];
  for (const d of response.deployments) {
    const p = (
      d as {
        process?: {
          bpmnProcessId: string;
          version: number;
          processDefinitionKey: string;
          resourceName: string;
        };
      }
    ).process;
    if (!p) continue;
    const model = models.find((m) => m.file === p.resourceName);
    const checksum = createHash('sha256')
      .update(model?.xml ?? '')
      .digest('hex');
    // The XML is kept for the analyst view; a version recorded before it was kept gets it now.
    const inserted = await pool.query<{ inserted: boolean }>(
      `INSERT INTO model_deployment
         (definition_key, process_id, version, resource_name, checksum, xml, deployed_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (definition_key) DO UPDATE SET xml = EXCLUDED.xml
         WHERE model_deployment.xml IS NULL AND model_deployment.checksum = EXCLUDED.checksum
       RETURNING (xmax = 0) AS inserted`,
      [
        p.processDefinitionKey,
        p.bpmnProcessId,
        p.version,
        p.resourceName,
        checksum,
        model?.xml ?? null,
        deployedBy ?? null,
      ],
    );
    result.push({
      processId: p.bpmnProcessId,
      version: p.version,
      definitionKey: p.processDefinitionKey,
      resourceName: p.resourceName,
      created: inserted.rows[0]?.inserted === true,
    });
  }
  for (const r of result) {
    log.info(
      { process: r.processId, version: r.version, created: r.created },
      r.created ? 'model deployed' : 'model unchanged',
    );
  }
  return result;
}

/** Checks every model in the folder (stops on the first broken one, naming it) and deploys. */
export async function checkAndDeploy(
  zeebe: ZeebeGrpcClient,
  pool: Pool,
  workflowsDir: string,
  engineVersion: string,
  log: Logger,
): Promise<DeployedProcess[]> {
  const models = await checkAllModels(workflowsDir, engineVersion);
  return deployModels(zeebe, pool, models, log);
}

/**
 * The model files to deploy at start. Zeebe compares a resource with the latest version only,
 * so a file whose exact content was deployed before would come back as a new version over a
 * newer one an analyst uploaded, silently undoing it. Such files are left out (and logged); a
 * file with new content is deployed as usual: the newest change wins.
 */
export async function filesNotSupersededByUploads(
  pool: Pool,
  models: CheckedModel[],
  log: Logger,
): Promise<CheckedModel[]> {
  const keep: CheckedModel[] = [];
  for (const m of models) {
    const checksum = createHash('sha256').update(m.xml).digest('hex');
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
