import { describe, expect, it } from '@jest/globals';
import {
  engineKey,
  losslessReviver,
  mapRecord,
  parseHistoryBatch,
  variableJson,
  type EngineRecord,
} from '../../src/engine/history-intake.js';

const T = Date.parse('2026-11-02T08:00:00Z');

function rec(
  over: Partial<EngineRecord> & Pick<EngineRecord, 'valueType' | 'intent'>,
): EngineRecord {
  return {
    position: 10,
    key: 2251799813685251,
    timestamp: T,
    recordType: 'EVENT',
    value: {},
    ...over,
  };
}

const element = (type: string, intent: string, key = 2251799813685258) =>
  rec({
    valueType: 'PROCESS_INSTANCE',
    intent,
    key,
    value: {
      bpmnElementType: type,
      elementId: type === 'PROCESS' ? 'application-review' : 'review',
      bpmnProcessId: 'application-review',
      version: 3,
      processDefinitionKey: 2251799813685250,
      processInstanceKey: 2251799813685251,
      flowScopeKey: type === 'PROCESS' ? -1 : 2251799813685251,
      parentProcessInstanceKey: -1,
      parentElementInstanceKey: -1,
    },
  });

describe('engine history record mapping', () => {
  it('given a process element activating, then an instance starts with its definition and no parent', () => {
    expect(mapRecord(element('PROCESS', 'ELEMENT_ACTIVATING', 2251799813685251))).toEqual({
      kind: 'instance-started',
      key: '2251799813685251',
      processDefinitionKey: '2251799813685250',
      bpmnProcessId: 'application-review',
      version: 3,
      parentKey: null,
      parentElementInstanceKey: null,
      at: '2026-11-02T08:00:00.000Z',
    });
  });

  it('given the process element completed or terminated, then the instance is completed or cancelled', () => {
    expect(mapRecord(element('PROCESS', 'ELEMENT_COMPLETED', 2251799813685251))).toMatchObject({
      kind: 'instance-ended',
      state: 'completed',
    });
    expect(mapRecord(element('PROCESS', 'ELEMENT_TERMINATED', 2251799813685251))).toMatchObject({
      kind: 'instance-ended',
      state: 'cancelled',
    });
  });

  it('given a task element, then its start and end are steps of the instance', () => {
    expect(mapRecord(element('USER_TASK', 'ELEMENT_ACTIVATING'))).toEqual({
      kind: 'element-started',
      key: '2251799813685258',
      processInstanceKey: '2251799813685251',
      elementId: 'review',
      elementType: 'USER_TASK',
      flowScopeKey: '2251799813685251',
      at: '2026-11-02T08:00:00.000Z',
    });
    expect(mapRecord(element('USER_TASK', 'ELEMENT_TERMINATED'))).toMatchObject({
      kind: 'element-ended',
      state: 'terminated',
    });
  });

  it('given intents the history does not keep (e.g. ACTIVATED, sequence flow taken), then nothing', () => {
    expect(mapRecord(element('USER_TASK', 'ELEMENT_ACTIVATED'))).toBeUndefined();
    expect(mapRecord(element('SEQUENCE_FLOW', 'SEQUENCE_FLOW_TAKEN'))).toBeUndefined();
    expect(mapRecord(rec({ valueType: 'JOB', intent: 'CREATED' }))).toBeUndefined();
    expect(
      mapRecord({ ...element('USER_TASK', 'ELEMENT_COMPLETED'), recordType: 'COMMAND' }),
    ).toBeUndefined();
  });

  it('given an incident, then it carries its job, element and message; a job key 0 or -1 is none', () => {
    const created = rec({
      valueType: 'INCIDENT',
      intent: 'CREATED',
      key: 2251799813685261,
      value: {
        errorType: 'JOB_NO_RETRIES',
        errorMessage: 'registry unavailable',
        bpmnProcessId: 'probe',
        processDefinitionKey: 2251799813685250,
        processInstanceKey: 2251799813685251,
        elementId: 'task',
        elementInstanceKey: 2251799813685258,
        jobKey: 2251799813685259,
      },
    });
    expect(mapRecord(created)).toEqual({
      kind: 'incident-created',
      key: '2251799813685261',
      processInstanceKey: '2251799813685251',
      processDefinitionKey: '2251799813685250',
      bpmnProcessId: 'probe',
      elementId: 'task',
      elementInstanceKey: '2251799813685258',
      jobKey: '2251799813685259',
      errorType: 'JOB_NO_RETRIES',
      errorMessage: 'registry unavailable',
      at: '2026-11-02T08:00:00.000Z',
    });
    expect(mapRecord({ ...created, value: { ...created.value, jobKey: -1 } })).toMatchObject({
      jobKey: null,
    });
    expect(
      mapRecord({ ...created, value: { ...created.value, errorMessage: 'a\u0000b' } }),
    ).toMatchObject({ errorMessage: 'a\ufffdb' });
    expect(mapRecord({ ...created, intent: 'RESOLVED' })).toEqual({
      kind: 'incident-resolved',
      key: '2251799813685261',
      at: '2026-11-02T08:00:00.000Z',
    });
  });

  it('given a deployed process, then its XML is decoded from the record’s base64 resource', () => {
    const xml = '<?xml version="1.0"?><bpmn:definitions>Müraciət</bpmn:definitions>';
    expect(
      mapRecord(
        rec({
          valueType: 'PROCESS',
          intent: 'CREATED',
          key: 2251799813685250,
          value: {
            bpmnProcessId: 'probe',
            version: 2,
            versionTag: '',
            resourceName: 'probe.bpmn',
            processDefinitionKey: 2251799813685250,
            resource: Buffer.from(xml).toString('base64'),
          },
        }),
      ),
    ).toEqual({
      kind: 'definition',
      key: '2251799813685250',
      bpmnProcessId: 'probe',
      version: 2,
      versionTag: null,
      resourceName: 'probe.bpmn',
      xml,
      deployedAt: '2026-11-02T08:00:00.000Z',
    });
  });

  it('given a variable, then its JSON text is kept as it is (big numbers exact)', () => {
    expect(
      mapRecord(
        rec({
          valueType: 'VARIABLE',
          intent: 'UPDATED',
          value: {
            name: 'n',
            value: '12345678901234567890',
            scopeKey: 2251799813685251,
            processInstanceKey: 2251799813685251,
          },
        }),
      ),
    ).toEqual({
      kind: 'variable',
      processInstanceKey: '2251799813685251',
      scopeKey: '2251799813685251',
      name: 'n',
      valueJson: '12345678901234567890',
      at: '2026-11-02T08:00:00.000Z',
    });
    expect(variableJson('"a\\u0000b"')).toBe('"a\\ufffdb"');
    expect(variableJson('not json')).toBe('"not json"');
  });

  it('given keys beyond 2^53 (partitions after the third), then the reviver keeps them exact', () => {
    const parsed = JSON.parse(
      '{"key": 9007199254740993, "small": 42, "f": 1.5}',
      losslessReviver as never,
    );
    expect(parsed).toEqual({ key: '9007199254740993', small: 42, f: 1.5 });
    expect(engineKey(parsed.key)).toBe('9007199254740993');
    expect(engineKey(-1)).toBeNull();
    expect(engineKey(0)).toBeNull();
  });

  it('given a malformed batch, then the problem is named', () => {
    expect(() => parseHistoryBatch({ records: [] })).toThrow(/partitionId/);
    expect(() => parseHistoryBatch({ partitionId: 1, records: [{ position: 1 }] })).toThrow(
      /records\.0/,
    );
    expect(parseHistoryBatch({ partitionId: 1, records: [] })).toEqual({
      partitionId: 1,
      records: [],
    });
  });
});
