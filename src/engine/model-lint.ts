import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { BpmnModdle } from 'bpmn-moddle';

const require = createRequire(import.meta.url);
// bpmnlint and its rule resolver are CommonJS; the Zeebe extension is a JSON schema.
const { Linter } = require('bpmnlint') as { Linter: new (opts: object) => LinterApi };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new (
  opts?: object,
) => object;
const zeebeSchema = require('zeebe-bpmn-moddle/resources/zeebe.json') as object;

interface LinterApi {
  lint(root: unknown, config?: object): Promise<Record<string, LintReport[]>>;
}
interface LintReport {
  id?: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}

export interface ModelProblem {
  file: string;
  element: string;
  rule: string;
  message: string;
  severity: 'error' | 'warning';
}

export interface CheckedModel {
  file: string;
  xml: string;
  processIds: string[];
  executionPlatformVersion: string;
  problems: ModelProblem[];
}

const MODELER_NS = 'http://camunda.org/schema/modeler/1.0';

/** "8.6.0" -> [8, 6] */
function minorVersion(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

function readLintConfig(root: string): { extends?: string | string[]; rules?: object } {
  return JSON.parse(fs.readFileSync(path.join(root, '.bpmnlintrc'), 'utf8')) as object;
}

/**
 * Parses a model with the Zeebe extension and lints it with bpmnlint plus the Camunda
 * compatibility rules for the model's execution platform version, which must not be newer
 * than the engine. Every problem names the file, the element and the rule.
 */
export async function checkModel(
  file: string,
  xml: string,
  engineVersion: string,
  projectRoot = process.cwd(),
): Promise<CheckedModel> {
  const name = path.basename(file);
  const problems: ModelProblem[] = [];
  const moddle = new BpmnModdle({ zeebe: zeebeSchema });
  let rootElement: {
    $attrs?: Record<string, string>;
    rootElements?: { $type: string; id: string }[];
  };
  try {
    const parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
    rootElement = parsed.rootElement as typeof rootElement;
    for (const w of parsed.warnings as { message: string; element?: { id?: string } }[]) {
      problems.push({
        file: name,
        element: w.element?.id ?? '(document)',
        rule: 'xml-schema',
        message: w.message,
        severity: 'error',
      });
    }
  } catch (err) {
    return {
      file: name,
      xml,
      processIds: [],
      executionPlatformVersion: '',
      problems: [
        {
          file: name,
          element: '(document)',
          rule: 'xml-parse',
          message: (err as Error).message,
          severity: 'error',
        },
      ],
    };
  }

  const attrs = rootElement.$attrs ?? {};
  const prefix =
    Object.entries(attrs)
      .find(([k, v]) => k.startsWith('xmlns:') && v === MODELER_NS)?.[0]
      ?.slice(6) ?? 'modeler';
  const platform = attrs[`${prefix}:executionPlatform`];
  const platformVersion = attrs[`${prefix}:executionPlatformVersion`] ?? '';
  const target = minorVersion(platformVersion);
  const engine = minorVersion(engineVersion);
  const config = readLintConfig(projectRoot);
  const extendsList = ([] as string[]).concat(config.extends ?? []);

  if (platform !== 'Camunda Cloud' || !target) {
    problems.push({
      file: name,
      element: '(definitions)',
      rule: 'execution-platform',
      message: `executionPlatform must be "Camunda Cloud" with an executionPlatformVersion (found "${platform ?? ''}" "${platformVersion}")`,
      severity: 'error',
    });
  } else {
    if (engine && (target[0] > engine[0] || (target[0] === engine[0] && target[1] > engine[1]))) {
      problems.push({
        file: name,
        element: '(definitions)',
        rule: 'execution-platform',
        message: `model targets Camunda ${platformVersion} but the engine is ${engineVersion}`,
        severity: 'error',
      });
    }
    extendsList.push(`plugin:camunda-compat/camunda-cloud-${target[0]}-${target[1]}`);
  }

  const linter = new Linter({
    config: { ...config, extends: extendsList },
    resolver: new NodeResolver(),
  });
  const reports = await linter.lint(rootElement);
  for (const [rule, list] of Object.entries(reports)) {
    for (const r of list) {
      problems.push({
        file: name,
        element: r.id ?? '(definitions)',
        rule,
        message: r.message,
        severity: r.category === 'warn' || r.category === 'info' ? 'warning' : 'error',
      });
    }
  }

  const processIds = (rootElement.rootElements ?? [])
    .filter((e) => e.$type === 'bpmn:Process')
    .map((e) => e.id);
  return { file: name, xml, processIds, executionPlatformVersion: platformVersion, problems };
}

export function formatProblems(problems: ModelProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.element}: [${p.rule}] ${p.message}`).join('\n');
}

export class ModelCheckError extends Error {
  constructor(readonly problems: ModelProblem[]) {
    super(`BPMN model check failed:\n${formatProblems(problems)}`);
    this.name = 'ModelCheckError';
  }
}

/** Checks every workflows/*.bpmn; throws ModelCheckError listing every error found. */
export async function checkAllModels(dir: string, engineVersion: string): Promise<CheckedModel[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort();
  const models: CheckedModel[] = [];
  for (const f of files) {
    const full = path.join(dir, f);
    models.push(await checkModel(full, fs.readFileSync(full, 'utf8'), engineVersion));
  }
  const errors = models.flatMap((m) => m.problems.filter((p) => p.severity === 'error'));
  if (errors.length > 0) throw new ModelCheckError(errors);
  return models;
}
