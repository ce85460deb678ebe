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

export function problemResponse(description: string) {
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } };
}

export function openApiDocument(): object {
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
