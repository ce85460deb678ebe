import { describe, expect, it } from '@jest/globals';
import '../../src/api/app.js'; // every router registers its paths on import
import { openApiDocument } from '../../src/api/openapi.js';

type Op = { security?: Record<string, string[]>[]; responses: Record<string, unknown> };
const doc = openApiDocument() as {
  components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
  paths: Record<string, Record<string, Op>>;
};
const op = (path: string, method: string) => doc.paths[path]![method]!;

describe('OpenAPI document', () => {
  it('given the document, then it declares the session cookie, bearer and service-token schemes', () => {
    expect(doc.components.securitySchemes.sessionCookie).toMatchObject({
      type: 'apiKey',
      in: 'cookie',
      name: 'az_session',
    });
    expect(doc.components.securitySchemes.bearer!.type).toBe('http');
    expect(doc.components.securitySchemes.serviceToken!.type).toBe('http');
    expect(doc.components.securitySchemes.registryBearer!.type).toBe('http');
  });

  it('given every guarded route, then it names its security and answers 401 and 403 as problems', () => {
    const missing: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths))
      for (const [method, o] of Object.entries(ops)) {
        if (!o.security?.length) continue;
        if (!o.responses['401']) missing.push(`${method} ${path} 401`);
        if (path !== '/api/v1/session' && !o.responses['403'])
          missing.push(`${method} ${path} 403`);
      }
    expect(missing).toEqual([]);
    expect(op('/api/v1/review-tasks', 'get').security).toEqual([
      { sessionCookie: [] },
      { bearer: [] },
    ]);
    expect(op('/api/v1/applications', 'post').security).toEqual([{ serviceToken: [] }]);
    expect(op('/api/v1/cabinet/{applicationId}/selections', 'post').security).toEqual([
      { serviceToken: [] },
    ]);
    expect(op('/api/v1/mortgage-system/selections/{id}/events', 'post').security).toEqual([
      { serviceToken: [] },
    ]);
  });

  it('given the public routes, then they require nothing', () => {
    expect(op('/healthz', 'get').security).toEqual([]);
    expect(op('/api/v1/session', 'post').security).toEqual([]);
    expect(op('/api/v1/invitations/accept', 'post').security).toEqual([]);
  });

  it('given a route that can conflict, then its 409 stays documented', () => {
    expect(op('/api/v1/review-tasks/{taskId}/decision', 'post').responses['409']).toBeDefined();
    expect(op('/api/v1/accounts', 'post').responses['409']).toBeDefined();
  });
});
