/**
 * A small JSON Schema (2020-12 subset, as the OpenAPI 3.1 document uses it) validator for the
 * contract test: $ref into components, type (one or several), properties, required,
 * additionalProperties, items, enum, const, anyOf/oneOf/allOf, if/then, and the formats
 * date (YYYY-MM-DD, a real day), date-time (RFC 3339: with an offset) and uuid.
 */

export interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  if?: Schema;
  then?: Schema;
  format?: string;
  nullable?: boolean;
}

/** RFC 3339 date-time: the offset (Z or ±hh:mm) is required. */
export const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function realDate(s: string): boolean {
  if (!DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Every place where `value` breaks `schema`, as "path: what" lines (empty when it conforms). */
export function validate(
  schema: Schema,
  value: unknown,
  components: Record<string, Schema>,
  path = '$',
): string[] {
  if (schema.$ref) {
    const target = components[schema.$ref.replace('#/components/schemas/', '')];
    if (!target) return [`${path}: unresolved ${schema.$ref}`];
    return validate(target, value, components, path);
  }
  const out: string[] = [];
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (schema.nullable) types.push('null');
    const ok = types.some((x) => x === t || (x === 'number' && t === 'integer'));
    if (!ok) return [`${path}: is ${t}, the document says ${types.join('|')}`];
  }
  if (schema.enum && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    out.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.const !== undefined && JSON.stringify(schema.const) !== JSON.stringify(value))
    out.push(`${path}: is not ${JSON.stringify(schema.const)}`);
  if (typeof value === 'string' && schema.format) {
    if (schema.format === 'date-time' && !DATE_TIME.test(value))
      out.push(`${path}: ${value} is not an ISO 8601 instant with an offset`);
    if (schema.format === 'date' && !realDate(value))
      out.push(`${path}: ${value} is not a date YYYY-MM-DD`);
    if (schema.format === 'uuid' && !UUID.test(value)) out.push(`${path}: ${value} is not a UUID`);
  }
  if (t === 'object') {
    const o = value as Record<string, unknown>;
    for (const r of schema.required ?? [])
      if (!(r in o)) out.push(`${path}.${r}: is required by the document, missing`);
    for (const [k, v] of Object.entries(o)) {
      const p = schema.properties?.[k];
      if (p) out.push(...validate(p, v, components, `${path}.${k}`));
      else if (schema.additionalProperties === false)
        out.push(`${path}.${k}: is not in the document`);
      else if (typeof schema.additionalProperties === 'object')
        out.push(...validate(schema.additionalProperties, v, components, `${path}.${k}`));
    }
  }
  if (t === 'array' && schema.items)
    (value as unknown[]).forEach((v, i) =>
      out.push(...validate(schema.items!, v, components, `${path}[${i}]`)),
    );
  for (const s of schema.allOf ?? []) out.push(...validate(s, value, components, path));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    const results = alternatives.map((s) => validate(s, value, components, path));
    if (!results.some((r) => r.length === 0))
      out.push(`${path}: matches no alternative (${results.map((r) => r[0]).join(' / ')})`);
  }
  if (schema.if && schema.then && validate(schema.if, value, components, path).length === 0)
    out.push(...validate(schema.then, value, components, path));
  return out;
}
