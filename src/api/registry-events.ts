import { createHash, timingSafeEqual } from 'node:crypto';
import { serviceClientPrincipal } from '../auth/accounts.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { acceptRegistryEvent } from '../cases/registry-events.js';
import type { Pool } from '../db/pool.js';
import { civilDateInBaku, isCivilDate } from '../domain/calendar.js';
import { normalizeFin } from '../domain/fin.js';
import {
  REGISTRY_EVENT_KINDS,
  REGISTRY_EVENT_SOURCES,
  SOURCE_OF_KIND,
} from '../domain/registry-event-grounds.js';
import { problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { assertRequestShape, refuseControlCharacters } from './validate.js';

/**
 * Registry event intake (domain brief §5: grounds arrive from the registries). The state
 * registries push facts — death, relocation, preferential mortgage, land plot, property,
 * sentence — and each one that is a case of Housing Code 55.1 and matches a registered person on
 * a waitlist opens a seizure case (src/cases/registry-events.ts); a sentence is no case of 55.1
 * and is recorded only (55.2). Callers are registry systems, authenticated by a bearer token
 * (REGISTRY_EVENTS_TOKEN); without the variable the endpoint is not configured (503).
 */

/** Shorter tokens are refused as a configuration error (503), never accepted. */
export const MIN_REGISTRY_EVENTS_TOKEN_LENGTH = 16;

const Scalar = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

export const RegistryEventBody = registry.register(
  'RegistryEvent',
  z
    .object({
      eventId: z
        .string({ error: 'required: the registry’s unique id of the event' })
        .regex(/^[A-Za-z0-9._:@/-]{1,200}$/, {
          message: 'must be 1–200 letters, digits or . _ : @ / -',
        })
        .openapi({ example: 'civil-status:2026:000123', description: 'idempotency key' }),
      source: z.enum(REGISTRY_EVENT_SOURCES, {
        message: `must be one of ${REGISTRY_EVENT_SOURCES.join(', ')}`,
      }),
      kind: z.enum(REGISTRY_EVENT_KINDS, {
        message: `must be one of ${REGISTRY_EVENT_KINDS.join(', ')}`,
      }),
      fin: z
        .string({ error: 'required: the FIN of the person the fact is about' })
        .transform(normalizeFin)
        .pipe(
          z.string().regex(/^[0-9A-Z]{7}$/, { message: 'must be a FIN: 7 characters [0-9A-Z]' }),
        )
        .openapi({ example: 'SYWDEAD' }),
      occurredOn: z
        .string({ error: 'required: the day of the fact, YYYY-MM-DD' })
        .refine(isCivilDate, { message: 'must be a real date YYYY-MM-DD' })
        .openapi({ format: 'date', example: '2026-11-02' }),
      details: z
        .object({
          months: z
            .number({ error: 'must be a whole number of months' })
            .int({ message: 'must be a whole number of months' })
            .min(1, { message: 'must be at least 1' })
            .max(1200, { message: 'must be at most 1200' })
            .optional()
            .openapi({
              description:
                "'sentenced': length of the sentence in months (optional; a sentence is no case of Housing Code 55.1 and opens no case)",
            }),
        })
        .catchall(Scalar)
        .optional()
        .openapi({ description: 'facts of the event; scalar values only' }),
    })
    .strict()
    .superRefine((e, ctx) => {
      if (SOURCE_OF_KIND[e.kind] !== e.source) {
        ctx.addIssue({
          code: 'custom',
          path: ['source'],
          message: `a ${e.kind} event comes from the ${SOURCE_OF_KIND[e.kind]} registry`,
        });
      }
      if (isCivilDate(e.occurredOn) && e.occurredOn > civilDateInBaku(new Date())) {
        ctx.addIssue({
          code: 'custom',
          path: ['occurredOn'],
          message: 'must not be in the future',
        });
      }
    }),
);

const RegistryEventResultSchema = registry.register(
  'RegistryEventResult',
  z.object({
    eventId: z.string(),
    matchedEntries: z
      .number()
      .int()
      .openapi({ description: 'waitlist entries (active or held) the FIN matched' }),
    casesOpened: z
      .array(z.string().uuid())
      .openapi({ description: 'seizure cases this event opened' }),
    outcomes: z.array(
      z.object({
        entryId: z.string().uuid(),
        role: z.enum(['registered', 'family-member']),
        ground: z.string().nullable().openapi({ description: 'legal_ground code (55.1, 004 §19)' }),
        outcome: z.enum(['case-opened', 'ground-added', 'ground-already-open', 'recorded-only']),
        reason: z.string().nullable(),
        caseId: z.string().uuid().nullable(),
      }),
    ),
  }),
);

registry.registerComponent('securitySchemes', 'registryBearer', {
  type: 'http',
  scheme: 'bearer',
  description: 'registry systems: the token in REGISTRY_EVENTS_TOKEN',
});

registry.registerPath({
  method: 'post',
  path: '/api/v1/registry-events',
  summary:
    'Registry systems: report a fact (death, relocation, preferential mortgage, land plot, property, sentence); opens a seizure case where it is a case of Housing Code 55.1 (a sentence is recorded only, 55.2). Idempotent by eventId.',
  security: [{ registryBearer: [] }],
  request: { body: { content: { 'application/json': { schema: RegistryEventBody } } } },
  responses: {
    200: {
      description: 'the same event again: the first result, nothing changed',
      content: { 'application/json': { schema: RegistryEventResultSchema } },
    },
    201: {
      description: 'accepted: matched entries and the cases opened',
      content: { 'application/json': { schema: RegistryEventResultSchema } },
    },
    400: problemResponse('malformed or unknown event; every field at fault is named'),
    401: problemResponse('no or wrong bearer token'),
    409: problemResponse('the eventId was already used for an event with other content'),
    503: problemResponse('REGISTRY_EVENTS_TOKEN is not configured'),
  },
});

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/**
 * Registry systems are service clients: their bearer token is REGISTRY_EVENTS_TOKEN (compared
 * in constant time, hashes of equal length) or one an administrator issued with the role
 * `registry` (POST /api/v1/service-clients). With neither, the intake is not configured (503).
 */
async function authenticate(pool: Pool, req: Request): Promise<void> {
  const expected = process.env.REGISTRY_EVENTS_TOKEN ?? '';
  if (expected && expected.length < MIN_REGISTRY_EVENTS_TOKEN_LENGTH)
    throw new HttpProblem(
      503,
      'Not configured',
      `REGISTRY_EVENTS_TOKEN is shorter than ${MIN_REGISTRY_EVENTS_TOKEN_LENGTH} characters`,
    );
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
  if (m && expected && timingSafeEqual(sha256(m[1]!), sha256(expected))) return;
  const client = m ? await serviceClientPrincipal(pool, m[1]!) : undefined;
  if (client?.roles.includes('registry')) return;
  if (!expected) {
    const { rows } = await pool.query(
      `SELECT 1 FROM service_client WHERE 'registry' = ANY(roles) LIMIT 1`,
    );
    if (rows.length === 0)
      throw new HttpProblem(
        503,
        'Not configured',
        'registry event intake is not configured (REGISTRY_EVENTS_TOKEN is not set)',
      );
  }
  throw new HttpProblem(
    401,
    'Unauthenticated',
    m ? 'the bearer token is not valid' : 'a bearer token is required',
    [{ field: 'authorization', message: m ? 'invalid token' : 'required' }],
  );
}

/** Like parse() in validate.ts, but an unknown field is named by its own path. */
function parseEvent(body: unknown): z.infer<typeof RegistryEventBody> {
  refuseControlCharacters(body ?? {}, 'body');
  const result = RegistryEventBody.safeParse(body ?? {});
  if (result.success) return result.data;
  const errors = result.error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ field: [...i.path, k].join('.'), message: 'unknown field' }))
      : [{ field: i.path.length ? i.path.join('.') : 'body', message: i.message }],
  );
  throw new HttpProblem(
    400,
    'Invalid input',
    errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  );
}

export function registryEventsRouter(deps: { pool: Pool; onEngineMessagesQueued(): void }): Router {
  const r = Router();
  r.post('/api/v1/registry-events', async (req, res) => {
    await authenticate(deps.pool, req);
    assertRequestShape(req);
    const event = parseEvent(req.body);
    const out = await acceptRegistryEvent(deps.pool, event, new Date());
    if (out.status === 'conflict') {
      throw new HttpProblem(
        409,
        'Conflict',
        `event ${event.eventId} was already received with other content`,
        [{ field: 'eventId', message: 'already used for an event with other content' }],
      );
    }
    if (out.status === 'accepted') {
      deps.onEngineMessagesQueued();
      res.status(201);
    }
    res.json(out.result);
  });
  return r;
}
