// Adds a diagram (BPMN DI) to a model authored without one, so it opens laid out in Camunda
// Modeler:  node scripts/layout-bpmn.mjs workflows/src/x.bpmn > workflows/x.bpmn
// Layered layout: each node's column is its longest distance from the start (back edges of
// loops ignored), rows fill top-down per column; boundary events sit on their host's lower
// edge; flows are orthogonal polylines. A file x.layout.json beside the model may pin nodes
// to grid cells ({"cells": {"id": [col, row]}}) and send loops under the diagram
// ({"below": ["flow-id"]}).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
const moddle = new BpmnModdle({ camunda: require('camunda-bpmn-moddle/resources/camunda.json') });
const { rootElement: defs } = await moddle.fromXML(fs.readFileSync(process.argv[2], 'utf8'));
const hintsFile = process.argv[2].replace(/\.bpmn$/, '.layout.json');
const hints = fs.existsSync(hintsFile)
  ? JSON.parse(fs.readFileSync(hintsFile, 'utf8'))
  : { cells: {}, below: [] };
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
for (const [id, [c, r]] of Object.entries(hints.cells ?? {})) {
  col.set(id, c);
  rowOf.set(id, r);
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
  const cx = host.x + host.w - 25 - k * 70;
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
    // gateway labels above (their branches leave downwards), boundary labels beside
    const gateway = /Gateway/.test(n.$type);
    const boundary = n.$type === 'bpmn:BoundaryEvent';
    shape.label = moddle.create('bpmndi:BPMNLabel', {
      bounds: moddle.create('dc:Bounds', {
        x: boundary ? p.cx + 8 : p.cx - 60,
        y: gateway ? p.y - 45 : p.y + p.h + 4,
        width: boundary ? 58 : 120,
        height: boundary ? 54 : 40,
      }),
    });
  }
  shapes.push(shape);
}
const minY = Math.min(...[...pos.values()].map((q) => q.y));
const maxY = Math.max(...[...pos.values()].map((q) => q.y + q.h));
for (const f of flows) {
  const s = pos.get(f.sourceRef.id);
  const t = pos.get(f.targetRef.id);
  const isBoundary = f.sourceRef.$type === 'bpmn:BoundaryEvent';
  const fromGateway = /Gateway/.test(f.sourceRef.$type);
  const start = isBoundary ? { x: s.cx, y: s.y + s.h } : { x: s.x + s.w, y: s.cy };
  const pts = [start];
  const below = (hints.below ?? []).indexOf(f.id);
  const over = (hints.over ?? []).indexOf(f.id);
  if (below >= 0) {
    // loop back under the whole diagram
    // leaves to the right, so it does not run along the source's other outgoing flows
    const y = maxY + 40 + 15 * below;
    const x = s.x + s.w + 20;
    pts.push({ x, y: s.cy }, { x, y }, { x: t.cx, y }, { x: t.cx, y: t.y + t.h });
  } else if (over >= 0 || back.has(`${f.sourceRef.id}>${f.targetRef.id}`)) {
    // loop back over the top of the diagram
    const y = minY - 40 - 15 * Math.max(over, 0);
    pts[0] = { x: s.cx, y: s.y };
    pts.push({ x: s.cx, y }, { x: t.cx, y }, { x: t.cx, y: t.y });
  } else if (isBoundary && s.cx > t.x && s.cx < t.x + t.w) {
    pts.push({ x: s.cx, y: t.y }); // straight down into the task below
  } else if (isBoundary) {
    pts.push({ x: s.cx, y: t.cy }, { x: t.x, y: t.cy });
  } else if (!isBoundary && Math.abs(s.cx - t.cx) < 1 && t.y > s.y) {
    pts[0] = { x: s.cx, y: s.y + s.h }; // same column: straight down
    pts.push({ x: t.cx, y: t.y });
  } else if (Math.abs(start.y - t.cy) < 1) {
    pts.push({ x: t.x, y: t.cy });
  } else if (fromGateway) {
    pts[0] = { x: s.cx, y: t.cy > s.cy ? s.y + s.h : s.y };
    pts.push({ x: s.cx, y: t.cy }, { x: t.x, y: t.cy });
  } else if (/Gateway/.test(f.targetRef.$type)) {
    // into a merging gateway from another row: along the row, then into its top or bottom
    pts.push({ x: t.cx, y: start.y }, { x: t.cx, y: t.cy > start.y ? t.y : t.y + t.h });
  } else {
    const midX = (start.x + t.x) / 2;
    pts.push({ x: midX, y: start.y }, { x: midX, y: t.cy }, { x: t.x, y: t.cy });
  }
  const edge = moddle.create('bpmndi:BPMNEdge', {
    id: `${f.id}_di`,
    bpmnElement: f,
    waypoint: pts.map((p) => moddle.create('dc:Point', { x: Math.round(p.x), y: Math.round(p.y) })),
  });
  if (f.name) {
    // on the last horizontal stretch, just after its start, above the line
    let a = pts[0];
    let b = pts[1];
    for (let i = pts.length - 1; i > 0; i--) {
      if (Math.abs(pts[i].y - pts[i - 1].y) < 1) {
        a = pts[i - 1];
        b = pts[i];
        break;
      }
    }
    edge.label = moddle.create('bpmndi:BPMNLabel', {
      bounds: moddle.create('dc:Bounds', {
        x: Math.round(Math.min(a.x, b.x) + 10),
        y: Math.round(a.y - 22),
        width: 110,
        height: 20,
      }),
    });
  }
  shapes.push(edge);
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
