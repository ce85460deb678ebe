import { Router } from 'express';
import { z } from 'zod';
import { getApplication, submitApplication } from '../cases/application.js';
import type { Pool } from '../db/pool.js';
import { isValidFin, normalizeFin } from '../domain/fin.js';
import { problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';

const Fin = z
  .string()
  .transform(normalizeFin)
  .refine(isValidFin, { message: 'must be a FIN: 7 Latin letters or digits' });

export const SubmitApplicationBody = registry.register(
  'SubmitApplication',
  z
    .object({
      applicantFin: Fin.openapi({ example: '5ZXK2PQ' }),
      spouseFin: Fin.nullable().optional(),
      category: z
        .number()
        .int()
        .min(1)
        .max(11)
        .openapi({ description: 'Category 1–11 (000 §2.1.5)' }),
      // Both are required before "sign and submit" (003 §5.3.8, 000 §2.1).
      consentToRegistryQueries: z.literal(true, {
        message: 'consent to registry queries is required (003 §5.3.8)',
      }),
      confirmsDataTrue: z.literal(true, {
        message: 'confirmation that the data is true and complete is required',
      }),
    })
    .strict()
    .refine((b) => !b.spouseFin || b.spouseFin !== b.applicantFin, {
      path: ['spouseFin'],
      message: 'must differ from applicantFin',
    }),
);

const ApplicationId = z.object({ id: z.uuid({ message: 'must be an application id (UUID)' }) });

const ApplicationStatus = registry.register(
  'ApplicationStatus',
  z.object({
    id: z.string(),
    registrationNumber: z.number().int(),
    status: z.string(),
    category: z.number().int(),
    submittedAt: z.string(),
    processInstanceKey: z.string().nullable(),
    checks: z.array(
      z.object({
        name: z.string(),
        passed: z.boolean(),
        legalGround: z.string(),
        detail: z.unknown(),
        checkedAt: z.string(),
      }),
    ),
  }),
);

registry.registerPath({
  method: 'post',
  path: '/api/v1/applications',
  summary:
    'Sign and submit an application; it is registered with the next registration number (003 §5.5)',
  request: { body: { content: { 'application/json': { schema: SubmitApplicationBody } } } },
  responses: {
    201: {
      description: 'registered',
      content: {
        'application/json': {
          schema: z.object({ id: z.string(), registrationNumber: z.number(), status: z.string() }),
        },
      },
    },
    400: problemResponse('invalid input; every field at fault is named'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/applications/{id}',
  summary: 'Status of an application with its automated check results',
  request: { params: ApplicationId },
  responses: {
    200: {
      description: 'the application',
      content: { 'application/json': { schema: ApplicationStatus } },
    },
    400: problemResponse('malformed id'),
    404: problemResponse('no such application'),
  },
});

/** The citizen portal's API (e-government "Güzəştli mənzil" service). */
export function portalRouter(deps: { pool: Pool; onSubmitted(): void }): Router {
  const r = Router();
  r.post('/api/v1/applications', async (req, res) => {
    const body = parse(SubmitApplicationBody, req, 'body');
    const created = await submitApplication(
      deps.pool,
      {
        applicantFin: body.applicantFin,
        spouseFin: body.spouseFin ?? null,
        category: body.category,
      },
      'portal',
    );
    deps.onSubmitted();
    res.status(201).location(`/api/v1/applications/${created.id}`).json(created);
  });
  r.get('/api/v1/applications/:id', async (req, res) => {
    const { id } = parse(ApplicationId, req, 'params');
    const app = await getApplication(deps.pool, id);
    if (!app)
      throw new HttpProblem(404, 'Not found', `no application ${id}`, [
        { field: 'id', message: 'no such application' },
      ]);
    res.json(app);
  });
  return r;
}
