import { describe, expect, it } from '@jest/globals';
import { fromEngineVariables, toEngineVariables } from '../../src/engine/variables.js';

describe('engine variables', () => {
  it('given primitives, then they travel with the engine types that JUEL compares', () => {
    expect(toEngineVariables({ s: 'x', b: true, i: 5, l: 2 ** 40, d: 1.5, n: null })).toEqual({
      s: { value: 'x', type: 'String' },
      b: { value: true, type: 'Boolean' },
      i: { value: 5, type: 'Integer' },
      l: { value: 2 ** 40, type: 'Long' },
      d: { value: 1.5, type: 'Double' },
      n: { value: null, type: 'Null' },
    });
  });

  it('given an object or an array, then it is sent as a JSON-serialized Java map or list', () => {
    const v = toEngineVariables({ decision: { outcome: 'grant' }, groups: ['a'] });
    expect(v.decision).toEqual({
      value: '{"outcome":"grant"}',
      type: 'Object',
      valueInfo: {
        objectTypeName: 'java.util.LinkedHashMap',
        serializationDataFormat: 'application/json',
      },
    });
    expect(v.groups?.valueInfo).toEqual(
      expect.objectContaining({ objectTypeName: 'java.util.ArrayList' }),
    );
  });

  it('given a date, then it is an ISO string with offset', () => {
    expect(toEngineVariables({ at: new Date('2026-03-19T08:00:00Z') }).at).toEqual({
      value: '2026-03-19T08:00:00.000Z',
      type: 'String',
    });
  });

  it('given undefined, then the variable is left out', () => {
    expect(toEngineVariables({ a: undefined })).toEqual({});
  });

  it('given values read back, serialized or not, then they are plain JS values', () => {
    expect(
      fromEngineVariables({
        a: { value: { outcome: 'grant' }, type: 'Object' },
        b: {
          value: '{"x":1}',
          type: 'Object',
          valueInfo: { serializationDataFormat: 'application/json' },
        },
        c: { value: 3, type: 'Integer' },
      }),
    ).toEqual({ a: { outcome: 'grant' }, b: { x: 1 }, c: 3 });
  });
});
