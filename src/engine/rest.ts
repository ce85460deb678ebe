import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './openapi.js';

/** The engine's REST API, typed from its OpenAPI document (see scripts/engine-openapi.mjs). */
export type EngineRest = Client<paths>;
export type EngineSchemas = components['schemas'];

export interface EngineConnection {
  /** e.g. http://127.0.0.1:8080/engine-rest */
  url: string;
  user: string;
  password: string;
}

/** The engine answered with an error (its JSON body carries `type` and `message`). */
export class EngineError extends Error {
  constructor(
    readonly status: number,
    readonly type: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

/**
 * A typed client. Every call carries the service account's credentials: the engine refuses
 * anonymous calls. Unknown fields in a request body are a compile error here, because the engine
 * would silently ignore them.
 */
export function createEngineRest(conn: EngineConnection, timeoutMs = 30_000): EngineRest {
  const auth = `Basic ${Buffer.from(`${conn.user}:${conn.password}`).toString('base64')}`;
  return createClient<paths>({
    baseUrl: conn.url.replace(/\/$/, ''),
    headers: { authorization: auth },
    // A per-request timeout unless the caller passes its own signal (long polling does).
    fetch: (req: Request) =>
      fetch(req.signal ? req : new Request(req, { signal: AbortSignal.timeout(timeoutMs) })),
  });
}

/**
 * Unwraps an openapi-fetch result: the data, or an EngineError with the engine's message.
 * `response.ok` with no body (204) yields undefined.
 */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  const e = (result.error ?? {}) as { type?: string; message?: string };
  throw new EngineError(
    result.response.status,
    e.type,
    `engine ${result.response.status}${e.type ? ` ${e.type}` : ''}: ${e.message ?? result.response.statusText}`,
  );
}
