// bpmn-moddle ships no type declarations; the project uses only this surface of it.
declare module 'bpmn-moddle' {
  export class BpmnModdle {
    constructor(packages?: Record<string, object>);
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: unknown; warnings: unknown[]; references: unknown[] }>;
  }
}
