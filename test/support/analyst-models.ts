/**
 * BPMN models for the analyst-view tests (Camunda 7 / Operaton dialect): start → external
 * service tasks in a row → end, with the diagram (DI) so bpmn-js can draw them, as Camunda
 * Modeler would save them. `type` is the external-task topic (it must name a worker in
 * workers/); a task without it has no implementation, which the start-up check refuses.
 */
export interface ProbeTask {
  id: string;
  name: string;
  /** the external-task topic */
  type?: string;
}

export function analystModel(opts: {
  processId: string;
  name: string;
  tasks: ProbeTask[];
}): string {
  const { processId, name, tasks } = opts;
  const nodes = ['start', ...tasks.map((t) => t.id), 'end'];
  const flows = nodes.slice(1).map((target, i) => ({ id: `flow-${i}`, source: nodes[i]!, target }));
  const outgoing = (id: string) => flows.filter((f) => f.source === id).map((f) => f.id);
  const incoming = (id: string) => flows.filter((f) => f.target === id).map((f) => f.id);
  const refs = (id: string) =>
    [
      ...incoming(id).map((f) => `<bpmn:incoming>${f}</bpmn:incoming>`),
      ...outgoing(id).map((f) => `<bpmn:outgoing>${f}</bpmn:outgoing>`),
    ].join('');
  const taskXml = tasks
    .map(
      (t) =>
        `<bpmn:serviceTask id="${t.id}" name="${t.name}"${
          t.type ? ` camunda:type="external" camunda:topic="${t.type}"` : ''
        }>${refs(t.id)}</bpmn:serviceTask>`,
    )
    .join('\n    ');
  // one row: events 36×36, tasks 100×80, 50 apart
  const box = new Map<string, { x: number; y: number; w: number; h: number }>();
  let x = 150;
  for (const id of nodes) {
    const event = id === 'start' || id === 'end';
    const w = event ? 36 : 100;
    const h = event ? 36 : 80;
    box.set(id, { x, y: event ? 122 : 100, w, h });
    x += w + 60;
  }
  const shapes = nodes
    .map((id) => {
      const b = box.get(id)!;
      return `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"><dc:Bounds x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" /></bpmndi:BPMNShape>`;
    })
    .join('\n      ');
  const edges = flows
    .map((f) => {
      const s = box.get(f.source)!;
      const t = box.get(f.target)!;
      return `<bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}"><di:waypoint x="${s.x + s.w}" y="140" /><di:waypoint x="${t.x}" y="140" /></bpmndi:BPMNEdge>`;
    })
    .join('\n      ');
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:modeler="http://camunda.org/schema/modeler/1.0" id="defs-${processId}" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.28.0" modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.24.0">
  <bpmn:process id="${processId}" name="${name}" isExecutable="true" camunda:historyTimeToLive="P3650D">
    <bpmn:startEvent id="start" name="Started">${refs('start')}</bpmn:startEvent>
    ${taskXml}
    <bpmn:endEvent id="end" name="Done">${refs('end')}</bpmn:endEvent>
    ${flows.map((f) => `<bpmn:sequenceFlow id="${f.id}" sourceRef="${f.source}" targetRef="${f.target}" />`).join('\n    ')}
  </bpmn:process>
  <bpmndi:BPMNDiagram id="diagram-${processId}">
    <bpmndi:BPMNPlane id="plane-${processId}" bpmnElement="${processId}">
      ${shapes}
      ${edges}
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
