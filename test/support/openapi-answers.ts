// the routers register their paths when the app is imported
import '../../src/api/app.js';
import { openApiDocument } from '../../src/api/openapi.js';
import { validate, type Schema } from './json-schema.js';
import type { TestStack } from './stack.js';

/**
 * A real answer against the OpenAPI document (issue 15): route tests call this on the answers
 * they get, so what a handler sends is checked against what the document promises clients.
 */
type Doc = {
  paths: Record<
    string,
    Record<
      string,
      { responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> }
    >
  >;
  components: { schemas: Record<string, Schema> };
};
let doc: Doc | undefined;

/** The documented path a concrete URL is an instance of (a literal segment wins over `{x}`). */
function documentedPath(d: Doc, url: string): string | undefined {
  const segments = url.split('?')[0]!.split('/');
  const candidates = Object.keys(d.paths).filter((p) => {
    const parts = p.split('/');
    return (
      parts.length === segments.length &&
      parts.every((x, i) => x === segments[i] || /^\{\w+\}$/.test(x))
    );
  });
  const params = (p: string) => (p.match(/\{/g) ?? []).length;
  return candidates.sort((a, b) => params(a) - params(b))[0];
}

/** Every place where the answer breaks the document (none: it conforms). */
export function answerProblems(
  method: string,
  url: string,
  res: { status: number; body: unknown },
): string[] {
  doc ??= openApiDocument() as Doc;
  const path = documentedPath(doc, url.replace(/^https?:\/\/[^/]+/, ''));
  if (!path) return [`${method} ${url}: no documented path`];
  const op = doc.paths[path]![method.toLowerCase()];
  if (!op) return [`${method} ${path}: not in the document`];
  const content = op.responses?.[String(res.status)]?.content;
  if (!content) return [`${method} ${path} ${res.status}: no body schema documented`];
  const schema = (content['application/json'] ?? content['application/problem+json'])?.schema;
  if (!schema) return [`${method} ${path} ${res.status}: no JSON body schema`];
  return validate(schema, res.body, doc.components.schemas).map(
    (e) => `${method} ${path} ${res.status} ${e}`,
  );
}

/** The operation ("post /api/v1/…/{id}") a call is an instance of. */
export function operationOf(method: string, url: string): string {
  doc ??= openApiDocument() as Doc;
  return `${method.toLowerCase()} ${documentedPath(doc, url.split('?')[0]!) ?? url}`;
}

export interface AnswerLog {
  /** the operations whose success answers were checked */
  operations: Set<string>;
  /** where a success answer broke the document */
  problems: string[];
  /** checks one answer got outside `t.api` (e.g. through a stand-in) */
  check(method: string, url: string, res: { status: number; body: unknown }): void;
}

/**
 * Checks every success answer a test file's calls get (through `t.api`, and any given to
 * `check`) against the document, so a route test doubles as the contract test of its routes.
 */
export function checkAnswers(t: TestStack): AnswerLog {
  const log: AnswerLog = {
    operations: new Set(),
    problems: [],
    check(method, url, res) {
      if (res.status < 200 || res.status >= 300 || res.status === 204) return;
      log.operations.add(operationOf(method, url));
      log.problems.push(...answerProblems(method, url, res));
    },
  };
  const api = t.api.bind(t);
  t.api = async (url, init = {}) => {
    const res = await api(url, init);
    log.check(init.method ?? (init.body === undefined ? 'GET' : 'POST'), url, res);
    return res;
  };
  return log;
}
