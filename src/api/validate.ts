import type { Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { HttpProblem, validationProblem } from './problem.js';

/**
 * Control characters no request text may carry: C0 except tab, line feed and carriage return
 * (a written reason may have lines), DEL and C1. PostgreSQL refuses U+0000 in text and jsonb
 * (a 500 before this check), and the others have no place in names, grounds or forms.
 */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** Deeper input than any request of ours needs; refused before a schema walks it. */
export const MAX_INPUT_DEPTH = 16;

export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Every string (and object key) of a request part that carries a control character, and any
 * nesting deeper than MAX_INPUT_DEPTH, by its path (`form.address`, `members.0.relation`).
 * Iterative, so a deeply nested body cannot exhaust the stack.
 */
export function controlCharacterProblems(value: unknown, source: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  const name = (path: (string | number)[]) => (path.length ? path.join('.') : source);
  const stack: { v: unknown; path: (string | number)[] }[] = [{ v: value, path: [] }];
  while (stack.length && out.length < 20) {
    const { v, path } = stack.pop()!;
    if (typeof v === 'string') {
      if (CONTROL.test(v))
        out.push({ field: name(path), message: 'must not contain control characters' });
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      out.push({ field: name(path), message: `nested deeper than ${MAX_INPUT_DEPTH} levels` });
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((x, i) => [i, x])
      : Object.entries(v);
    for (const [k, x] of entries) {
      // JSON.parse makes "__proto__" an own key that schemas do not see as unknown
      if (k === '__proto__') {
        out.push({ field: name([...path, k]), message: 'field name not allowed' });
        continue;
      }
      if (typeof k === 'string' && CONTROL.test(k)) {
        out.push({
          field: name([...path, JSON.stringify(k).slice(1, -1)]),
          message: 'a field name must not contain control characters',
        });
        continue;
      }
      stack.push({ v: x, path: [...path, k] });
    }
  }
  return out.reverse();
}

/**
 * The shared check of every request part (parse() and the registry intake call it): a 400 naming
 * each field with a control character, or nested too deeply.
 */
export function refuseControlCharacters(value: unknown, source: string): void {
  const errors = controlCharacterProblems(value, source);
  if (errors.length)
    throw new HttpProblem(
      400,
      'Invalid input',
      errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      errors,
    );
}

/**
 * Parses a part of the request with its schema; invalid input is a 400 naming every field.
 * Every part passes the control-character check first, whatever its schema says.
 */
export function parse<S extends z.ZodType>(
  schema: S,
  req: Request,
  source: 'body' | 'query' | 'params',
): z.infer<S> {
  assertRequestShape(req);
  const input: unknown = req[source] ?? {};
  refuseControlCharacters(input, source);
  const result = schema.safeParse(input);
  if (!result.success) {
    const p = validationProblem(result.error, source);
    throw new HttpProblem(400, p.title, p.detail, p.errors);
  }
  return result.data;
}

const SHAPE = Symbol('request-shape-problem');
type ShapedRequest = Request & { [SHAPE]?: HttpProblem };

/** Throws the problem requestShape() found in this request, if any. */
export function assertRequestShape(req: Request): void {
  const problem = (req as ShapedRequest)[SHAPE];
  if (problem) throw problem;
}

interface DocumentedOperation {
  method: string;
  pattern: RegExp;
  query: Set<string>;
  body: 'json' | 'multipart' | 'none';
}

/** The operations of the OpenAPI document, as the request-shape check needs them. */
function documentedOperations(doc: {
  paths?: Record<
    string,
    Record<
      string,
      {
        parameters?: { in: string; name: string }[];
        requestBody?: { content?: Record<string, unknown> };
      }
    >
  >;
}): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const [path, ops] of Object.entries(doc.paths ?? {}))
    for (const [method, op] of Object.entries(ops)) {
      const content = Object.keys(op.requestBody?.content ?? {});
      const source = path
        .split(/\{\w+\}/)
        .map((s) => s.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
        .join('[^/]+');
      out.push({
        method: method.toUpperCase(),
        pattern: new RegExp(`^${source}/?$`),
        query: new Set((op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)),
        body: content.includes('multipart/form-data')
          ? 'multipart'
          : content.includes('application/json')
            ? 'json'
            : 'none',
      });
    }
  return out;
}

const problem = (status: number, title: string, errors: FieldProblem[]) =>
  new HttpProblem(status, title, errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);

/**
 * The request's shape against the route's OpenAPI operation: a query parameter the operation
 * does not list is a 400 naming it; a body in another content type than the operation takes
 * (JSON, or multipart for uploads) is a 415 naming `content-type`; a route that takes no body
 * accepts none or `{}`. Routes the document does not list (the screens) pass untouched.
 *
 * The problem is only recorded here: it is raised once the caller is authorised (the role
 * guards, parse() and the routes without a guard call assertRequestShape), so an anonymous or
 * unauthorised caller still gets 401/403, as the authorisation matrix specifies.
 */
export function requestShape(doc: object): RequestHandler {
  const ops = documentedOperations(doc as never);
  return (req, _res, next) => {
    const op = ops.find((o) => o.method === req.method && o.pattern.test(req.path));
    if (!op) return next();
    const fail = (problem: HttpProblem) => {
      (req as ShapedRequest)[SHAPE] = problem;
      next();
    };
    const unknown = Object.keys(req.query as object).filter((k) => !op.query.has(k));
    if (unknown.length)
      return fail(
        problem(
          400,
          'Invalid input',
          unknown.slice(0, 20).map((k) => ({
            field: JSON.stringify(k).slice(1, -1),
            message: 'unknown query parameter',
          })),
        ),
      );
    const hasBody =
      req.headers['transfer-encoding'] !== undefined ||
      Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return next();
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const wanted = op.body === 'multipart' ? 'multipart/form-data' : 'application/json';
    if (type !== wanted)
      return fail(
        problem(415, 'Unsupported media type', [
          { field: 'content-type', message: `must be ${wanted}` },
        ]),
      );
    if (op.body === 'none') {
      const b: unknown = req.body;
      const empty =
        b === undefined ||
        (b !== null && typeof b === 'object' && !Array.isArray(b) && Object.keys(b).length === 0);
      if (!empty)
        return fail(
          problem(400, 'Invalid input', [{ field: 'body', message: 'this route takes no body' }]),
        );
    }
    next();
  };
}
