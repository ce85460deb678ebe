import {
  extendZodWithOpenApi,
  OpenAPIRegistry,
  OpenApiGeneratorV31,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/** Routers register their paths here with the same zod schemas that validate requests. */
export const registry = new OpenAPIRegistry();

export const ProblemSchema = registry.register(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
);

/**
 * The two date shapes of every answer (issue 15): an instant is ISO 8601 with its offset
 * (RFC 3339 `date-time`), a calendar day is `date` (YYYY-MM-DD). Answer schemas use these, so
 * one property name has one format across routes.
 */
export const InstantSchema = z
  .string()
  .openapi({ format: 'date-time', example: '2026-03-03T10:00:00+04:00' });
export const DaySchema = z.string().openapi({ format: 'date', example: '2026-03-03' });

/** A success answer with its JSON body schema. */
export function jsonResponse(description: string, schema: z.ZodType) {
  return { description, content: { 'application/json': { schema } } };
}

export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } };
}

/** Who may call what, for the security requirements the document declares per route. */
const PUBLIC = new Set([
  'get /healthz',
  'get /readyz',
  'get /api/openapi.json',
  'post /api/v1/session',
  'delete /api/v1/session',
  'post /api/v1/invitations/accept',
]);
const STAFF_SECURITY: Record<string, string[]>[] = [{ sessionCookie: [] }, { bearer: [] }];
function securityOf(method: string, path: string): Record<string, string[]>[] {
  if (PUBLIC.has(`${method} ${path}`)) return [];
  if (path.startsWith('/api/v1/registry-events')) return [{ registryBearer: [] }];
  // service clients: the citizen portal (applications, the apartment cabinet), the mortgage e-system
  const SERVICE = [
    '/api/v1/applications',
    '/api/v1/apartment-announcements',
    '/api/v1/cabinet',
    '/api/v1/mortgage-system',
  ];
  if (SERVICE.some((p) => path.startsWith(p))) return [{ serviceToken: [] }];
  if (path === '/api/v1/session' || path === '/api/v1/bodies' || path === '/api/v1/legal-grounds')
    return [...STAFF_SECURITY, { serviceToken: [] }];
  return STAFF_SECURITY;
}

type Operation = { responses?: Record<string, unknown>; security?: unknown; requestBody?: unknown };

/**
 * The generated document with its security schemes, each route's security requirement and the
 * refusals every guarded route can answer (401 without a valid identity, 403 without the role
 * or the body; both RFC 9457 problems), so clients need not guess them.
 */
export function openApiDocument(): object {
  const doc = generate() as {
    paths?: Record<string, Record<string, Operation>>;
    components?: Record<string, unknown>;
  };
  doc.components = {
    ...doc.components,
    securitySchemes: {
      sessionCookie: {
        type: 'apiKey',
        in: 'cookie',
        name: 'az_session',
        description: 'staff screens: the HttpOnly session cookie set by POST /api/v1/session',
      },
      bearer: {
        type: 'http',
        scheme: 'bearer',
        description:
          'staff API clients: a session token (POST /api/v1/session) or, with OIDC configured, an access token (JWT) of the identity provider',
      },
      serviceToken: {
        type: 'http',
        scheme: 'bearer',
        description:
          'service clients (the citizen portal, the mortgage e-system): POST /api/v1/service-clients',
      },
      registryBearer: {
        type: 'http',
        scheme: 'bearer',
        description: 'registry systems: the token in REGISTRY_EVENTS_TOKEN',
      },
    },
  };
  for (const [path, ops] of Object.entries(doc.paths ?? {}))
    for (const [method, op] of Object.entries(ops)) {
      const security = securityOf(method, path.replace(/\{(\w+)\}/g, ':$1'));
      op.security = security;
      op.responses ??= {};
      // the request-shape check (validate.ts) refuses an unknown query parameter, and a body
      // where none is taken, on every operation; each parse() names the field at fault
      op.responses['400'] ??= problemResponse(
        'invalid input: each field at fault is named (an unknown query parameter included)',
      );
      if (op.requestBody)
        op.responses['415'] ??= problemResponse(
          'the body is not in the content type this route takes',
        );
      if (security.length === 0) continue;
      op.responses['401'] ??= problemResponse('no valid identity (sign in, or a valid token)');
      if (path !== '/api/v1/session')
        op.responses['403'] ??= problemResponse('signed in, but without the role or the body');
    }
  return doc;
}

function generate(): object {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Azerbaijan preferential housing and waitlist workflow API',
      version: '0.1.0',
      description:
        'Portal, reviewer, operator, analyst and registry APIs. Errors are RFC 9457 problem details.',
    },
    servers: [{ url: '/' }],
  });
}
