import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { BpmnModdle } from 'bpmn-moddle';
import { workflowsDir } from '../../src/paths.js';

interface MessageUse {
  correlationVariable: string | null;
  starts: string[];
  catches: string[];
}
interface El {
  $type: string;
  id: string;
  messageRef?: { name: string };
  eventDefinitions?: { $type: string; messageRef?: { name: string } }[];
  flowElements?: El[];
}

/** Which processes each message starts and which events catch it, read from the models. */
async function usesInModels(): Promise<Record<string, { starts: string[]; catches: string[] }>> {
  const uses: Record<string, { starts: string[]; catches: string[] }> = {};
  const files = fs.readdirSync(workflowsDir).filter((f) => f.endsWith('.bpmn'));
  for (const f of files) {
    const xml = fs.readFileSync(path.join(workflowsDir, f), 'utf8');
    const { rootElement } = await new BpmnModdle().fromXML(xml, 'bpmn:Definitions');
    for (const p of (rootElement as unknown as { rootElements: El[] }).rootElements) {
      if (p.$type !== 'bpmn:Process') continue;
      const walk = (els: El[]) => {
        for (const e of els) {
          const ref =
            e.messageRef?.name ??
            e.eventDefinitions?.find((d) => d.$type === 'bpmn:MessageEventDefinition')?.messageRef
              ?.name;
          if (ref) {
            const u = (uses[ref] ??= { starts: [], catches: [] });
            if (e.$type === 'bpmn:StartEvent') u.starts.push(p.id);
            else u.catches.push(`${p.id}#${e.id}`);
          }
          if (e.flowElements) walk(e.flowElements);
        }
      };
      walk(p.flowElements ?? []);
    }
  }
  return uses;
}

describe('workflows/messages.json (read by the outbox)', () => {
  const file = JSON.parse(
    fs.readFileSync(path.join(workflowsDir, 'messages.json'), 'utf8'),
  ) as Record<string, MessageUse>;

  it('given the models, when their message events are listed, then messages.json names the same starts and catches', async () => {
    const uses = await usesInModels();
    const listed = Object.fromEntries(
      Object.entries(file).map(([k, v]) => [
        k,
        { starts: [...v.starts].sort(), catches: [...v.catches].sort() },
      ]),
    );
    const found = Object.fromEntries(
      Object.entries(uses).map(([k, v]) => [
        k,
        { starts: [...v.starts].sort(), catches: [...v.catches].sort() },
      ]),
    );
    expect(listed).toEqual(found);
  });

  it('given a message that an event catches, then it names the correlation variable, else none', () => {
    for (const [name, m] of Object.entries(file)) {
      if (m.catches.length > 0)
        expect([name, typeof m.correlationVariable]).toEqual([name, 'string']);
      else expect([name, m.correlationVariable]).toEqual([name, null]);
    }
  });
});
