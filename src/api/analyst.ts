import { Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { hasRole, principalOf, requireRole } from '../auth/principal.js';
import { recordAudit } from '../cases/audit.js';
import type { Pool } from '../db/pool.js';
import { ENGINE_ID, type EngineHistory } from '../engine/history.js';
import {
  deployUploadedModel,
  listProcessModels,
  type VersionProblem,
} from '../engine/model-versions.js';
import type { EngineRest } from '../engine/rest.js';
import type {
  ModelRefused,
  ModelsDeployed,
  ModelUploadRequest,
  ProcessModels as ProcessModelsContract,
} from '../contracts/index.js';
import type { Assert, SameShape } from './contract.js';
import { InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { HttpProblem, sendProblem, type Problem } from './problem.js';
import { parse } from './validate.js';

/** The engine the analyst view reads and deploys to, and its version (the lint target). */
export interface ModelEngine {
  rest: EngineRest;
  history: EngineHistory;
  /** e.g. "1.0.3" (GET /version) */
  engineVersion: string;
}

/** Largest model accepted (characters of XML); the biggest of ours is about 35 000. */
export const MAX_MODEL_CHARS = 900_000;

/**
 * A BPMN model needs no document type: a DTD is how XML declares entities, which an attacker
 * uses to read files or call URLs from the parser (XXE) or to expand a few bytes into gigabytes
 * (billion laughs). Refused before any parser (ours or the engine's) sees the file; XInclude
 * likewise pulls in other files.
 */
const DTD_OR_INCLUDE = /<!DOCTYPE|<!ENTITY|<!ATTLIST|<!ELEMENT|<!NOTATION|XInclude/i;

const DefinitionId = z.object({
  id: z.string().regex(ENGINE_ID, { message: 'must be a process definition id' }),
});

const ModelUpload = registry.register(
  'ModelUpload',
  z
    .object({
      fileName: z
        .string()
        .min(1)
        .max(200)
        .regex(/^[^/\\]+\.bpmn$/i, { message: 'must be a .bpmn file name' }),
      xml: z
        .string()
        .min(1, { message: 'the file is empty' })
        .max(MAX_MODEL_CHARS, {
          message: `the file is larger than ${MAX_MODEL_CHARS} characters`,
        })
        .refine((xml) => !DTD_OR_INCLUDE.test(xml), {
          message:
            'must not contain a document type or entity declarations (<!DOCTYPE>, <!ENTITY>) or XInclude: refused as unsafe XML',
        }),
      allowNewProcess: z.boolean().default(false),
    })
    .strict(),
);

type _ModelUpload = Assert<SameShape<z.input<typeof ModelUpload>, ModelUploadRequest>>;

const Problem = z.object({
  element: z.string(),
  rule: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});
const Version = z.object({
  version: z.number().int(),
  definitionId: z.string(),
  deployedAt: InstantSchema.nullable(),
  deployedBy: z.string().nullable(),
  resourceName: z.string(),
  checksum: z.string(),
  instances: z.object({
    total: z.number().int(),
    byState: z.object({
      active: z.number().int(),
      incident: z.number().int(),
      completed: z.number().int(),
      cancelled: z.number().int(),
    }),
  }),
  lint: z
    .object({ errors: z.number().int(), warnings: z.number().int(), problems: z.array(Problem) })
    .nullable(),
});
const ProcessModels = registry.register(
  'ProcessModels',
  z.object({
    engineVersion: z.string(),
    processes: z.array(
      z.object({
        bpmnProcessId: z.string(),
        name: z.string().nullable(),
        versions: z.array(Version),
      }),
    ),
  }),
);

const ModelsDeployedSchema = registry.register(
  'ModelsDeployed',
  z.object({
    created: z.boolean().openapi({ description: 'false: identical to the newest versions' }),
    versions: z.array(
      z.object({
        bpmnProcessId: z.string(),
        version: z.number().int(),
        definitionId: z.string(),
        resourceName: z.string(),
        created: z.boolean(),
      }),
    ),
  }),
);
type _ModelsDeployed = Assert<SameShape<z.infer<typeof ModelsDeployedSchema>, ModelsDeployed>>;

registry.registerPath({
  method: 'get',
  path: '/api/v1/analyst/process-definitions',
  summary:
    'Deployed processes with their versions, instances per version and the lint result of each (analysts)',
  responses: {
    200: { description: 'processes', content: { 'application/json': { schema: ProcessModels } } },
    403: problemResponse('not an analyst or administrator'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/analyst/process-definitions/{id}/xml',
  summary: 'The deployed BPMN XML of one version (analysts)',
  request: { params: DefinitionId },
  responses: {
    200: { description: 'BPMN XML', content: { 'application/xml': { schema: z.string() } } },
    400: problemResponse('not a definition id'),
    404: problemResponse('no such version'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/analyst/process-definitions',
  summary:
    'Deploy a new version of one of our processes (edited in Camunda Modeler), checked as at start-up (analysts)',
  description:
    'The model is linted with the start-up rules for its execution platform version and the engine version; ' +
    'any error refuses it with 422 (`problems`: element id, rule, message) and nothing is deployed. ' +
    'Only processes already deployed here may get a new version; `allowNewProcess` (administrators only) ' +
    'accepts a new process id. The new version keeps the resource name of the one it replaces.',
  request: { body: { content: { 'application/json': { schema: ModelUpload } } } },
  responses: {
    201: jsonResponse('deployed: a new version', ModelsDeployedSchema),
    200: jsonResponse(
      'identical to the newest version: nothing new was deployed',
      ModelsDeployedSchema,
    ),
    400: problemResponse('invalid input; fields named'),
    403: problemResponse('not an analyst, or allowNewProcess without being an administrator'),
    413: problemResponse('too large'),
    422: problemResponse('the model is refused: `problems` name each element and rule'),
  },
});

export function analystRouter(deps: { pool: Pool; log: Logger; engine?: ModelEngine }): Router {
  const r = Router();
  const analyst = requireRole('analyst', 'administrator');
  const engine = (): ModelEngine => {
    if (!deps.engine) throw new HttpProblem(503, 'Engine unavailable', 'no engine is connected');
    return deps.engine;
  };

  r.get('/api/v1/analyst/process-definitions', analyst, async (_req, res) => {
    const { rest, history, engineVersion } = engine();
    res.json({
      engineVersion,
      processes: await listProcessModels({ rest, history, pool: deps.pool }, engineVersion),
    } satisfies ProcessModelsContract);
  });

  r.get('/api/v1/analyst/process-definitions/:id/xml', analyst, async (req, res) => {
    const { id } = parse(DefinitionId, req, 'params');
    const xml = await engine().history.definitionXml(id);
    if (xml === undefined) throw new HttpProblem(404, 'Not found', `no deployed version ${id}`);
    res.type('application/xml').send(xml);
  });

  r.post('/api/v1/analyst/process-definitions', analyst, async (req, res) => {
    const body = parse(ModelUpload, req, 'body');
    const who = principalOf(req);
    if (body.allowNewProcess && !hasRole(who, 'administrator'))
      throw new HttpProblem(403, 'Forbidden', 'only administrators may deploy a new process', [
        { field: 'allowNewProcess', message: 'administrators only' },
      ]);
    const { rest, history, engineVersion } = engine();
    const outcome = await deployUploadedModel(
      { rest, history, pool: deps.pool, engineVersion, log: deps.log },
      { ...body, actor: who.id },
    );
    if (outcome.refused) {
      const problem: Problem & { problems: VersionProblem[] } = {
        type: 'https://housing.gov.az/problems/model-refused',
        title: 'Model refused',
        status: 422,
        detail: `${body.fileName}: ${outcome.problems.length} problem(s); nothing was deployed`,
        errors: outcome.problems.map((p) => ({
          field: 'xml',
          message: `${p.element}: [${p.rule}] ${p.message}`,
        })),
        problems: outcome.problems,
      } satisfies ModelRefused;
      sendProblem(res, problem);
      return;
    }
    const created = outcome.deployed.filter((d) => d.created);
    for (const d of created)
      await recordAudit(deps.pool, {
        actor: who.id,
        action: 'process-model-deployed',
        caseType: 'process-model',
        caseId: d.definitionId,
        after: {
          processId: d.processId,
          version: d.version,
          resourceName: d.resourceName,
          fileName: body.fileName,
        },
      });
    res.status(created.length > 0 ? 201 : 200).json({
      created: created.length > 0,
      versions: outcome.deployed.map((d) => ({
        bpmnProcessId: d.processId,
        version: d.version,
        definitionId: d.definitionId,
        resourceName: d.resourceName,
        created: d.created,
      })),
    } satisfies ModelsDeployed);
  });
  return r;
}
