import type { EngineSchemas } from './rest.js';

type VariableValue = EngineSchemas['VariableValueDto'];

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

/**
 * One JS value as an engine variable. Objects and arrays travel as JSON-serialized Java maps and
 * lists (the engine's default serialization format is JSON), so expressions in the models can read
 * them (`${decision.outcome == 'grant'}`). Dates become ISO strings with offset.
 */
export function toEngineValue(v: unknown): VariableValue {
  if (v === null || v === undefined) return { value: null, type: 'Null' };
  if (v instanceof Date) return { value: v.toISOString(), type: 'String' };
  switch (typeof v) {
    case 'string':
      return { value: v, type: 'String' };
    case 'boolean':
      return { value: v, type: 'Boolean' };
    case 'number':
      if (Number.isInteger(v))
        return { value: v, type: v >= INT_MIN && v <= INT_MAX ? 'Integer' : 'Long' };
      return { value: v, type: 'Double' };
    case 'bigint':
      return { value: Number(v), type: 'Long' };
    default:
      return {
        value: JSON.stringify(v),
        type: 'Object',
        valueInfo: {
          objectTypeName: Array.isArray(v) ? 'java.util.ArrayList' : 'java.util.LinkedHashMap',
          serializationDataFormat: 'application/json',
        },
      };
  }
}

export function toEngineVariables(vars: Record<string, unknown>): Record<string, VariableValue> {
  return Object.fromEntries(
    Object.entries(vars)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, toEngineValue(v)]),
  );
}

/**
 * Engine variables (fetched with deserializeValues) as plain JS values. A JSON object value that
 * arrives still serialized (deserializeValues off) is parsed here.
 */
export function fromEngineVariables(
  vars: Record<string, VariableValue> | undefined | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars ?? {})) {
    let value = v.value as unknown;
    const format = (v.valueInfo as { serializationDataFormat?: string } | undefined)
      ?.serializationDataFormat;
    if (v.type === 'Object' && typeof value === 'string' && format === 'application/json') {
      value = JSON.parse(value);
    } else if (v.type === 'Json' && typeof value === 'string') {
      value = JSON.parse(value);
    }
    out[k] = value;
  }
  return out;
}
