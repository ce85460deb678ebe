import { ok, type EngineRest } from '../../src/engine/rest.js';
import { fromEngineVariables, toEngineVariables } from '../../src/engine/variables.js';
import { eventually } from './eventually.js';

/**
 * Small BPMN models built for tests of the engine plumbing (not product processes).
 * Each: start → one external task → end, optionally with an error boundary event. `retries`
 * is the task's extension property the worker host reads (the engine's own default is none).
 */
export function probeModel(opts: {
  processId: string;
  taskType: string;
  retries?: number;
  errorCode?: string;
}): string {
  const { processId, taskType, retries = 3, errorCode } = opts;
  const boundary = errorCode
    ? `
    <bpmn:boundaryEvent id="rejected" name="rejected" attachedToRef="task">
      <bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:errorEventDefinition errorRef="err" />
    </bpmn:boundaryEvent>
    <bpmn:endEvent id="end-rejected" name="rejected"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="rejected" targetRef="end-rejected" />`
    : '';
  const errorDef = errorCode
    ? `<bpmn:error id="err" name="${errorCode}" errorCode="${errorCode}" />`
    : '';
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="d-${processId}" targetNamespace="http://test"
  modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.24.0">
  <bpmn:process id="${processId}" name="${processId}" isExecutable="true" camunda:historyTimeToLive="P1D">
    <bpmn:startEvent id="start" name="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="task" name="task" camunda:type="external" camunda:topic="${taskType}">
      <bpmn:extensionElements>
        <camunda:properties><camunda:property name="retries" value="${retries}" /></camunda:properties>
      </bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" name="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />${boundary}
  </bpmn:process>
  ${errorDef}
</bpmn:definitions>`;
}

/** Deploys test models in one deployment (multipart, built here as models.ts does). */
export async function deployProbes(
  rest: EngineRest,
  models: { name: string; xml: string }[],
): Promise<void> {
  const form = new FormData();
  form.append('deployment-name', `probes-${models[0]?.name ?? 'none'}`);
  for (const m of models) form.append(m.name, new Blob([m.xml]), m.name);
  ok(await rest.POST('/deployment/create', { body: {} as never, bodySerializer: () => form }));
}

/** Starts an instance of a probe process; returns its id. */
export async function startProbe(
  rest: EngineRest,
  processId: string,
  variables: Record<string, unknown>,
): Promise<string> {
  const started = ok(
    await rest.POST('/process-definition/key/{key}/start', {
      params: { path: { key: processId } },
      body: { variables: toEngineVariables(variables) },
    }),
  );
  return started.id!;
}

/** Starts a probe and waits for it to end; returns the instance's variables at the end. */
export async function runProbe(
  rest: EngineRest,
  processId: string,
  variables: Record<string, unknown>,
  timeoutMs = 30_000,
): Promise<Record<string, unknown>> {
  const id = await startProbe(rest, processId, variables);
  await eventually(async () => {
    const h = ok(await rest.GET('/history/process-instance/{id}', { params: { path: { id } } }));
    return h.state === 'COMPLETED';
  }, timeoutMs);
  const vars = ok(
    await rest.GET('/history/variable-instance', {
      params: { query: { processInstanceId: id, deserializeValues: true } },
    }),
  );
  return fromEngineVariables(
    Object.fromEntries(vars.map((v) => [v.name!, { value: v.value, type: v.type }])),
  );
}
