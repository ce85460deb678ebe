import { openApiDocument } from '../../src/api/openapi.js';
import { validate, type Schema } from './json-schema.js';

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

/** Every place where the answer breaks the document ("" lines none: it conforms). */
export function answerProblems(
  method: string,
  url: string,
  res: { status: number; body: unknown },
): string[] {
  doc ??= openApiDocument() as Doc;
  const path = documentedPath(doc, url);
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
