// Type surface of the BPMN libraries the analyst screens use (they ship no declarations for it).
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, object>);
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: unknown; warnings: unknown[]; references: unknown[] }>;
  }
}

declare module 'bpmn-js-differ' {
  interface ModdleElement {
    id?: string;
    $type: string;
    name?: string;
  }
  export interface ChangeHandler {
    _added: Record<string, ModdleElement>;
    _removed: Record<string, ModdleElement>;
    _changed: Record<
      string,
      { model: ModdleElement; attrs: Record<string, { oldValue: unknown; newValue: unknown }> }
    >;
    _layoutChanged: Record<string, ModdleElement>;
  }
  export function diff(a: unknown, b: unknown): ChangeHandler;
}
