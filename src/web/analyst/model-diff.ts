import { BpmnModdle } from 'bpmn-moddle';
import { diff } from 'bpmn-js-differ';
import camundaSchema from 'camunda-bpmn-moddle/resources/camunda.json';

export type ChangeKind = 'added' | 'removed' | 'changed' | 'layout';

export interface ModelChange {
  id: string;
  kind: ChangeKind;
  /** BPMN type without the prefix, e.g. "ServiceTask" */
  type: string;
  name: string;
  /** the properties that changed (for "changed") */
  attrs: string[];
}

export interface ModelDiff {
  changes: ModelChange[];
  /** CSS classes per element id for the older diagram (removed, changed) */
  markersOld: Record<string, string[]>;
  /** CSS classes per element id for the newer diagram (added, changed) */
  markersNew: Record<string, string[]>;
}

const ORDER: Record<ChangeKind, number> = { removed: 0, added: 1, changed: 2, layout: 3 };

async function definitions(xml: string): Promise<unknown> {
  const { rootElement } = await new BpmnModdle({ camunda: camundaSchema }).fromXML(
    xml,
    'bpmn:Definitions',
  );
  return rootElement;
}

/** The semantic diff of two versions of a model (bpmn-js-differ over bpmn-moddle definitions). */
export async function diffModels(olderXml: string, newerXml: string): Promise<ModelDiff> {
  const d = diff(await definitions(olderXml), await definitions(newerXml));
  const changes: ModelChange[] = [];
  const markersOld: Record<string, string[]> = {};
  const markersNew: Record<string, string[]> = {};
  const mark = (m: Record<string, string[]>, id: string, cls: string) => {
    (m[id] ??= []).push(cls);
  };
  const describe = (e: { id?: string; $type: string; name?: string }) => ({
    type: e.$type.replace(/^bpmn:/, ''),
    name: e.name ?? '',
  });
  for (const [id, e] of Object.entries(d._removed)) {
    changes.push({ id, kind: 'removed', ...describe(e), attrs: [] });
    mark(markersOld, id, 'diff-removed');
  }
  for (const [id, e] of Object.entries(d._added)) {
    changes.push({ id, kind: 'added', ...describe(e), attrs: [] });
    mark(markersNew, id, 'diff-added');
  }
  for (const [id, c] of Object.entries(d._changed)) {
    changes.push({ id, kind: 'changed', ...describe(c.model), attrs: Object.keys(c.attrs) });
    mark(markersOld, id, 'diff-changed');
    mark(markersNew, id, 'diff-changed');
  }
  for (const [id, e] of Object.entries(d._layoutChanged)) {
    if (d._changed[id] || d._added[id] || d._removed[id]) continue;
    changes.push({ id, kind: 'layout', ...describe(e), attrs: [] });
  }
  changes.sort((a, b) => ORDER[a.kind] - ORDER[b.kind] || a.id.localeCompare(b.id));
  return { changes, markersOld, markersNew };
}
