/**
 * Small BPMN models built for tests of the engine plumbing (not product processes).
 * Each: start → one service task → end, optionally with an error boundary event.
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
      <bpmn:extensionElements>
        <zeebe:ioMapping><zeebe:output source="=&quot;rejected&quot;" target="outcome" /></zeebe:ioMapping>
      </bpmn:extensionElements>
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
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
  xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="d-${processId}" targetNamespace="http://test"
  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">
  <bpmn:process id="${processId}" name="${processId}" isExecutable="true">
    <bpmn:startEvent id="start" name="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:serviceTask id="task" name="task">
      <bpmn:extensionElements><zeebe:taskDefinition type="${taskType}" retries="${retries}" /></bpmn:extensionElements>
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:endEvent id="end" name="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <bpmn:sequenceFlow id="f2" sourceRef="task" targetRef="end" />${boundary}
  </bpmn:process>
  ${errorDef}
</bpmn:definitions>`;
}
