// Adds a diagram (BPMN DI) to a model authored without one, so it opens laid out in Camunda
// Modeler:  node scripts/layout-bpmn.mjs workflows/src/x.bpmn > workflows/x.bpmn
// Layered layout: each node's column is its longest distance from the start (back edges of
// loops ignored), rows fill top-down per column; boundary events sit on their host's lower
// edge; flows are orthogonal polylines.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const moddle = new BpmnModdle({ zeebe: require('zeebe-bpmn-moddle/resources/zeebe.json') });
const { rootElement: defs } = await moddle.fromXML(fs.readFileSync(process.argv[2], 'utf8'));
const process_ = defs.rootElements.find((e) => e.$type === 'bpmn:Process');
const elements = process_.flowElements;
const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
const nodes = elements.filter((e) => e.$type !== 'bpmn:SequenceFlow');
const boundaries = nodes.filter((n) => n.$type === 'bpmn:BoundaryEvent');
const main = nodes.filter((n) => n.$type !== 'bpmn:BoundaryEvent');

const size = (n) =>
  /Task|CallActivity|SubProcess/.test(n.$type)
    ? { w: 140, h: 80 }
    : /Gateway/.test(n.$type)
      ? { w: 50, h: 50 }
      : { w: 36, h: 36 };
const out = new Map(nodes.map((n) => [n.id, []]));
for (const f of flows) out.get(f.sourceRef.id).push(f.targetRef);

// back edges: DFS from the start events (boundary events start their own branches)
const back = new Set();
const state = new Map();
const dfs = (n) => {
  state.set(n.id, 1);
  for (const t of out.get(n.id)) {
    if (state.get(t.id) === 1) back.add(`${n.id}>${t.id}`);
    else if (!state.get(t.id)) dfs(t);
  }
  state.set(n.id, 2);
};
for (const s of main.filter((n) => n.$type === 'bpmn:StartEvent')) dfs(s);
for (const b of boundaries) if (!state.get(b.id)) dfs(b);

const col = new Map();
const relax = () => {
  let changed = false;
  for (const f of flows) {
    if (back.has(`${f.sourceRef.id}>${f.targetRef.id}`)) continue;
    const c = (col.get(f.sourceRef.id) ?? 0) + 1;
    if (c > (col.get(f.targetRef.id) ?? 0)) {
      col.set(f.targetRef.id, c);
      changed = true;
    }
  }
  for (const b of boundaries) {
    const c = col.get(b.attachedToRef.id) ?? 0;
    if (col.get(b.id) !== c) {
      col.set(b.id, c);
      changed = true;
    }
  }
  return changed;
};
for (const n of nodes) col.set(n.id, 0);
for (let i = 0; i < 200 && relax(); i++);

const COL_W = 190;
const ROW_H = 130;
const pos = new Map();
const rowsUsed = new Map();
// place nodes in document order; a node takes the first free row at or below its
// predecessor's row, so branches fan out downwards
const rowOf = new Map();
for (const n of main) {
  const c = col.get(n.id);
  const preds = flows.filter(
    (f) => f.targetRef.id === n.id && !back.has(`${f.sourceRef.id}>${n.id}`),
  );
  let want = 0;
  for (const p of preds) {
    const src =
      p.sourceRef.$type === 'bpmn:BoundaryEvent' ? p.sourceRef.attachedToRef : p.sourceRef;
    const r = rowOf.get(src.id) ?? 0;
    want = Math.max(
      want,
      p.sourceRef.$type === 'bpmn:BoundaryEvent' ? r + 1 : preds.length > 1 ? 0 : r,
    );
  }
  const used = rowsUsed.get(c) ?? new Set();
  let r = want;
  while (used.has(r)) r++;
  used.add(r);
  rowsUsed.set(c, used);
  rowOf.set(n.id, r);
}
for (const n of main) {
  const { w, h } = size(n);
  const cx = 120 + col.get(n.id) * COL_W;
  const cy = 120 + rowOf.get(n.id) * ROW_H;
  pos.set(n.id, { x: cx - w / 2, y: cy - h / 2, w, h, cx, cy });
}
const perHost = new Map();
for (const b of boundaries) {
  const host = pos.get(b.attachedToRef.id);
  const k = perHost.get(b.attachedToRef.id) ?? 0;
  perHost.set(b.attachedToRef.id, k + 1);
  const cx = host.x + host.w - 25 - k * 45;
  const cy = host.y + host.h;
  pos.set(b.id, { x: cx - 18, y: cy - 18, w: 36, h: 36, cx, cy });
}

const shapes = [];
for (const n of nodes) {
  const p = pos.get(n.id);
  const shape = moddle.create('bpmndi:BPMNShape', {
    id: `${n.id}_di`,
    bpmnElement: n,
    bounds: moddle.create('dc:Bounds', { x: p.x, y: p.y, width: p.w, height: p.h }),
  });
  if (/Gateway/.test(n.$type)) shape.isMarkerVisible = true;
  if (!/Task|CallActivity/.test(n.$type) && n.name) {
    shape.label = moddle.create('bpmndi:BPMNLabel', {
      bounds: moddle.create('dc:Bounds', {
        x: p.cx - 60,
        y: p.y + p.h + 5,
        width: 120,
        height: 40,
      }),
    });
  }
  shapes.push(shape);
}
for (const f of flows) {
  const s = pos.get(f.sourceRef.id);
  const t = pos.get(f.targetRef.id);
  const isBoundary = f.sourceRef.$type === 'bpmn:BoundaryEvent';
  const start = isBoundary ? { x: s.cx, y: s.y + s.h } : { x: s.x + s.w, y: s.cy };
  const pts = [start];
  if (back.has(`${f.sourceRef.id}>${f.targetRef.id}`)) {
    // loop back over the top
    const top = Math.min(s.y, t.y) - 40;
    pts.push(
      { x: start.x + 15, y: start.y },
      { x: start.x + 15, y: top },
      { x: t.cx, y: top },
      { x: t.cx, y: t.y },
    );
  } else if (isBoundary) {
    pts.push({ x: s.cx, y: t.cy }, { x: t.x, y: t.cy });
  } else if (Math.abs(start.y - t.cy) < 1) {
    pts.push({ x: t.x, y: t.cy });
  } else {
    const midX = /Gateway/.test(f.sourceRef.$type) ? s.cx : (start.x + t.x) / 2;
    if (/Gateway/.test(f.sourceRef.$type)) {
      pts[0] = { x: s.cx, y: t.cy > s.cy ? s.y + s.h : s.y };
      pts.push({ x: s.cx, y: t.cy }, { x: t.x, y: t.cy });
    } else {
      pts.push({ x: midX, y: start.y }, { x: midX, y: t.cy }, { x: t.x, y: t.cy });
    }
  }
  shapes.push(
    moddle.create('bpmndi:BPMNEdge', {
      id: `${f.id}_di`,
      bpmnElement: f,
      waypoint: pts.map((p) =>
        moddle.create('dc:Point', { x: Math.round(p.x), y: Math.round(p.y) }),
      ),
    }),
  );
}
defs.diagrams = [
  moddle.create('bpmndi:BPMNDiagram', {
    id: `BPMNDiagram_${process_.id}`,
    plane: moddle.create('bpmndi:BPMNPlane', {
      id: `BPMNPlane_${process_.id}`,
      bpmnElement: process_,
      planeElement: shapes,
    }),
  }),
];
const { xml } = await moddle.toXML(defs, { format: true });
process.stdout.write(`${xml}\n`);
