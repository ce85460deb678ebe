import type { ErrorRequestHandler, Response } from 'express';
import { ZodError } from 'zod';
import { CaseError } from '../cases/errors.js';

/** One stable error shape for every endpoint: RFC 9457 problem details. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** For invalid input: every field at fault, by its path in the request. */
  errors?: { field: string; message: string }[];
}

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: { field: string; message: string }[],
  ) {
    super(detail ?? title);
  }
}

const TYPE_BASE = 'https://housing.gov.az/problems/';

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type('application/problem+json').json(p);
}

export function validationProblem(err: ZodError, source: 'body' | 'query' | 'params'): Problem {
  const errors = err.issues.map((i) => ({
    field: i.path.length ? i.path.join('.') : source,
    message: i.message,
  }));
  return {
    type: `${TYPE_BASE}invalid-input`,
    title: 'Invalid input',
    status: 400,
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  };
}

export const problemHandler: ErrorRequestHandler = (err, req, res, _next) => {
  if (err instanceof HttpProblem) {
    // 429 and 503 say when to try again (RFC 9110 §10.2.3)
    const retryAfterS = (err as { retryAfterS?: number }).retryAfterS;
    if (retryAfterS !== undefined) res.setHeader('retry-after', String(retryAfterS));
    const slug = err.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    sendProblem(res, {
      type: `${TYPE_BASE}${slug}`,
      title: err.title,
      status: err.status,
      detail: err.detail,
      errors: err.errors,
    });
    return;
  }
  const e = err as { type?: string; status?: number; message?: string };
  // express.json() errors: malformed JSON, body too large
  if (e.type === 'entity.parse.failed') {
    sendProblem(res, {
      type: `${TYPE_BASE}malformed-json`,
      title: 'Malformed JSON',
      status: 400,
      detail: 'The request body is not valid JSON',
      errors: [{ field: 'body', message: 'not valid JSON' }],
    });
    return;
  }
  if (e.type === 'entity.too.large') {
    sendProblem(res, {
      type: `${TYPE_BASE}too-large`,
      title: 'Request too large',
      status: 413,
      errors: [{ field: 'body', message: 'too large' }],
    });
    return;
  }
  // Other client errors of express and its body parser (e.g. a path with broken %-escapes, an
  // unsupported charset or content encoding): their own 4xx, the part at fault named.
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const field =
      e.type === 'charset.unsupported'
        ? 'content-type'
        : e.type === 'encoding.unsupported'
          ? 'content-encoding'
          : err instanceof URIError
            ? 'path'
            : 'body';
    const message =
      e.type === 'charset.unsupported'
        ? 'unsupported charset (send UTF-8)'
        : e.type === 'encoding.unsupported'
          ? 'unsupported content encoding'
          : err instanceof URIError
            ? 'not a valid percent-encoded path'
            : 'malformed request';
    sendProblem(res, {
      type: `${TYPE_BASE}${e.status === 415 ? 'unsupported-media-type' : 'bad-request'}`,
      title: e.status === 415 ? 'Unsupported media type' : 'Bad request',
      status: e.status,
      detail: `${field}: ${message}`,
      errors: [{ field, message }],
    });
    return;
  }
  const down = unavailableDependency(err);
  if (down) {
    // A dependency outage is not a bug of the request: 503 with a clear body and a hint when
    // to try again, so the portal retries instead of showing an internal error.
    req.log?.warn({ dependency: down, err: (err as Error).message }, 'dependency unavailable');
    res.setHeader('Retry-After', '5');
    sendProblem(res, {
      type: `${TYPE_BASE}${down}-unavailable`,
      title: down === 'database' ? 'Database unavailable' : 'Process engine unavailable',
      status: 503,
      detail:
        down === 'database'
          ? 'The database cannot be reached right now; nothing was changed. Try again shortly.'
          : 'The process engine cannot be reached right now; nothing was changed. Try again shortly.',
    });
    return;
  }
  req.log?.error({ err }, 'unhandled error');
  sendProblem(res, { type: `${TYPE_BASE}internal`, title: 'Internal error', status: 500 });
};

/** SQLSTATE classes and codes that mean the server is gone, starting, stopping or too slow. */
const DB_DOWN_CODES = /^(08|53|57P0[1-4]|57014|58)/;
const DB_DOWN_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|connection timeout|Client has encountered a connection error|the database system is (starting up|shutting down|in recovery mode)|terminating connection/i;
const NET_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
]);

/**
 * Which dependency an error says is unreachable: the database (a pg connection or server error,
 * the pool's connect timeout, the statement timeout), the engine (a failed or timed-out call to
 * its REST API), or none.
 */
export function unavailableDependency(err: unknown): 'database' | 'engine' | undefined {
  for (let e = err as Record<string, unknown> | undefined, depth = 0; e && depth < 4; depth++) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    const name = typeof e.name === 'string' ? e.name : '';
    // pg errors carry a SQLSTATE (5 characters) and a severity
    if (code && typeof e.severity === 'string' && DB_DOWN_CODES.test(code)) return 'database';
    if (DB_DOWN_MESSAGES.test(message)) return 'database';
    // a call to the engine that could not connect or timed out (fetch wraps the cause)
    if (name === 'EngineError' && typeof e.status === 'number' && e.status >= 502) return 'engine';
    if ((name === 'TimeoutError' || name === 'AbortError') && depth === 0) return 'engine';
    if (message === 'fetch failed') return 'engine';
    if (NET_DOWN_CODES.has(code) && typeof e.port === 'number') return 'database';
    e = e.cause as Record<string, unknown> | undefined;
  }
  return undefined;
}

/**
 * Turns a refusal of the case rules into its HTTP problem (404 / 409 / 400, fields named); any
 * other error goes on to the error handler. Use as `.catch(caseProblem)`.
 */
export function caseProblem(err: unknown): never {
  if (err instanceof CaseError) {
    const [status, title] = (
      {
        'not-found': [404, 'Not found'],
        conflict: [409, 'Conflict'],
        invalid: [400, 'Invalid input'],
        unprocessable: [422, 'Unprocessable request'],
      } as const
    )[err.kind];
    throw new HttpProblem(status, title, err.message, err.problems);
  }
  throw err;
}
