import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BpmnModdle } from 'bpmn-moddle';
import { projectRoot as defaultProjectRoot } from '../paths.js';

const require = createRequire(import.meta.url);
// bpmnlint and its rule resolver are CommonJS; the Camunda 7 extension is a JSON schema.
const { Linter } = require('bpmnlint') as { Linter: new (opts: object) => LinterApi };
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver') as new (
  opts?: object,
) => object;
const camundaSchema = require('camunda-bpmn-moddle/resources/camunda.json') as object;

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

export interface CheckOptions {
  /** Folder with .bpmnlintrc (default: the project root). */
  projectRoot?: string;
  /**
   * Folder of the worker modules an external-task topic must have: workers/<topic>.ts when the
   * sources run (tests), dist/workers/<topic>.js when the compiled app runs — the same folder the
   * worker host loads.
   */
  workersDir?: string;
}

/** The engine this project runs: Operaton 1.0.x speaks the Camunda 7.24 dialect. */
export const OPERATON_VERSION = '1.0.3';
const OPERATON_DIALECT: Record<string, string> = { '1.0': '7.24' };

const MODELER_NS = 'http://camunda.org/schema/modeler/1.0';
const ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0';
const PLATFORM = 'Camunda Platform';
/** The project's own rules (what camunda-compat's camunda-platform config does not check). */
export const RULES = {
  executable: 'housing/executable-process',
  historyTimeToLive: 'housing/history-time-to-live',
  externalTask: 'housing/external-task',
  topicWorker: 'housing/topic-worker',
  candidateGroups: 'housing/candidate-groups',
  noFeel: 'housing/no-feel',
  timer: 'housing/timer-definition',
} as const;

const here = path.dirname(fileURLToPath(import.meta.url));
/** dist/workers when running compiled, workers/ when tests run the sources (as the worker host). */
const defaultWorkersDir = path.resolve(here, '..', '..', 'workers');

/** "7.24.0" -> [7, 24] */
function minorVersion(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** The Camunda 7 dialect an engine version speaks: Operaton "1.0.3" -> [7, 24]; "7.24.0" as is. */
function dialectOf(engineVersion: string): [number, number] | undefined {
  const v = minorVersion(engineVersion);
  if (!v) return undefined;
  if (v[0] === 7) return v;
  const mapped = OPERATON_DIALECT[`${v[0]}.${v[1]}`];
  return mapped ? minorVersion(mapped) : undefined;
}

function readLintConfig(root: string): { extends?: string | string[]; rules?: object } {
  return JSON.parse(fs.readFileSync(path.join(root, '.bpmnlintrc'), 'utf8')) as object;
}

/** A parsed model element: moddle objects (typed) and generic elements of unknown namespaces. */
interface Node {
  $type: string;
  $parent?: Node;
  $attrs?: Record<string, unknown>;
  $body?: unknown;
  $children?: Node[];
  id?: string;
  get?(name: string): unknown;
  [key: string]: unknown;
}

const isNode = (v: unknown): v is Node =>
  typeof v === 'object' && v !== null && typeof (v as Node).$type === 'string';

/** Every element contained in root (references to other elements are not followed). */
function* contained(root: Node): Generator<Node> {
  const seen = new Set<Node>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) continue;
    seen.add(node);
    yield node;
    const values = [
      ...Object.keys(node)
        .filter((k) => !k.startsWith('$'))
        .map((k) => node[k]),
      ...(node.$children ?? []),
    ];
    for (const v of values) {
      for (const child of Array.isArray(v) ? (v as unknown[]) : [v]) {
        if (isNode(child) && (child.$parent === node || child.$parent === undefined)) {
          stack.push(child);
        }
      }
    }
  }
}

/** The id a problem names: the element's own, else the nearest enclosing element's. */
function ownerId(node: Node): string {
  for (let n: Node | undefined = node; n; n = n.$parent) {
    if (typeof n.id === 'string' && n.$type !== 'bpmn:Definitions') return n.id;
  }
  return '(definitions)';
}

const attr = (node: Node, name: string): string | undefined => {
  const v = node.get ? node.get(name) : node[name];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
};

/** Properties that are prose, never expressions: a name or documentation may start with "=". */
const PROSE = new Set(['id', 'name', 'text']);

/**
 * The project's own rules for the Operaton models: every process executable with a history time
 * to live; every service task an external task whose topic has a worker module; every user task
 * has candidate groups; every timer has a definition; nothing of the Camunda 8 dialect (FEEL
 * "=" expressions, zeebe: elements or attributes) is left.
 */
function projectRules(defs: Node, workersDir: string): Omit<ModelProblem, 'file'>[] {
  const problems: Omit<ModelProblem, 'file'>[] = [];
  const report = (node: Node, rule: string, message: string) =>
    problems.push({ element: ownerId(node), rule, message, severity: 'error' });
  const workerExists = (topic: string) =>
    ['.ts', '.js'].some((ext) => fs.existsSync(path.join(workersDir, `${topic}${ext}`)));

  for (const node of contained(defs)) {
    const t = node.$type;
    if (t === 'bpmn:Process') {
      if (node.isExecutable !== true) {
        report(node, RULES.executable, 'process must be executable (isExecutable="true")');
      }
      if (!attr(node, 'camunda:historyTimeToLive')) {
        report(
          node,
          RULES.historyTimeToLive,
          'process has no camunda:historyTimeToLive (Operaton refuses the deployment)',
        );
      }
    }
    if (t === 'bpmn:ServiceTask' || t === 'bpmn:SendTask') {
      const topic = attr(node, 'camunda:topic');
      if (attr(node, 'camunda:type') !== 'external' || !topic) {
        report(
          node,
          RULES.externalTask,
          'service task must be an external task: camunda:type="external" with a camunda:topic',
        );
      } else if (/[$#]\{/.test(topic) || !/^[a-z0-9][a-z0-9-]*$/.test(topic)) {
        report(
          node,
          RULES.topicWorker,
          `topic "${topic}" must be a worker file name, not an expression`,
        );
      } else if (!workerExists(topic)) {
        report(node, RULES.topicWorker, `topic "${topic}" has no worker file workers/${topic}.ts`);
      }
    }
    if (t === 'bpmn:UserTask' && !attr(node, 'camunda:candidateGroups')) {
      report(node, RULES.candidateGroups, 'user task has no camunda:candidateGroups');
    }
    if (t === 'bpmn:TimerEventDefinition') {
      const defined = ['timeDate', 'timeDuration', 'timeCycle'].filter((k) => {
        const expr = node[k] as Node | undefined;
        return typeof expr?.body === 'string' && expr.body.trim() !== '';
      });
      if (defined.length !== 1) {
        // named by its event: that is what the modeler shows
        report(
          node.$parent ?? node,
          RULES.timer,
          defined.length === 0
            ? 'timer has no timeDate, timeDuration or timeCycle'
            : `timer has more than one definition (${defined.join(', ')})`,
        );
      }
    }

    // Camunda 8 leftovers: zeebe elements, attributes or namespace; FEEL "=" expressions.
    if (t.startsWith('zeebe:')) {
      report(node, RULES.noFeel, `Camunda 8 element <${t}> is left`);
      continue;
    }
    const attrs = { ...(node.$attrs ?? {}) };
    for (const [k, v] of Object.entries(node)) {
      if (!k.startsWith('$') && typeof v === 'string') attrs[k] = v;
    }
    if (typeof node.$body === 'string') attrs.$body = node.$body;
    if (typeof node.body === 'string') attrs.body = node.body;
    if (typeof node.value === 'string') attrs.value = node.value;
    for (const [k, v] of Object.entries(attrs)) {
      if (typeof v !== 'string') continue;
      if (k.startsWith('zeebe:') || v === ZEEBE_NS) {
        report(node, RULES.noFeel, `Camunda 8 attribute or namespace "${k}" is left`);
      } else if (!PROSE.has(k) && v.trimStart().startsWith('=')) {
        report(
          node,
          RULES.noFeel,
          `FEEL expression left in ${k === '$body' || k === 'body' ? t : k}: "${v.trim()}" (use JUEL \${...})`,
        );
      }
    }
  }
  return problems;
}

/**
 * Parses a model with the Camunda 7 extension (Operaton speaks the Camunda 7.24 dialect), lints
 * it with bpmnlint plus camunda-compat's camunda-platform rules (.bpmnlintrc) and the project's
 * own rules. The model's execution platform must be "Camunda Platform" no newer than the dialect
 * of the engine. Every problem names the file, the element and the rule.
 */
export async function checkModel(
  file: string,
  xml: string,
  engineVersion: string = OPERATON_VERSION,
  options: string | CheckOptions = {},
): Promise<CheckedModel> {
  const opts = typeof options === 'string' ? { projectRoot: options } : options;
  const root = opts.projectRoot ?? defaultProjectRoot;
  const workersDir = opts.workersDir ?? defaultWorkersDir;
  const name = path.basename(file);
  const problems: ModelProblem[] = [];
  const moddle = new BpmnModdle({ camunda: camundaSchema });
  let rootElement: Node & { rootElements?: { $type: string; id: string }[] };
  try {
    const parsed = await moddle.fromXML(xml, 'bpmn:Definitions');
    rootElement = parsed.rootElement as unknown as typeof rootElement;
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

  const attrs = (rootElement.$attrs ?? {}) as Record<string, string>;
  const prefix =
    Object.entries(attrs)
      .find(([k, v]) => k.startsWith('xmlns:') && v === MODELER_NS)?.[0]
      ?.slice(6) ?? 'modeler';
  const platform = attrs[`${prefix}:executionPlatform`];
  const platformVersion = attrs[`${prefix}:executionPlatformVersion`] ?? '';
  const target = minorVersion(platformVersion);
  const engine = dialectOf(engineVersion);

  if (platform !== PLATFORM || !target || target[0] !== 7) {
    problems.push({
      file: name,
      element: '(definitions)',
      rule: 'execution-platform',
      message: `executionPlatform must be "${PLATFORM}" with a 7.x executionPlatformVersion (found "${platform ?? ''}" "${platformVersion}")`,
      severity: 'error',
    });
  } else if (!engine) {
    problems.push({
      file: name,
      element: '(definitions)',
      rule: 'execution-platform',
      message: `engine version ${engineVersion} is not Operaton 1.0 or Camunda 7`,
      severity: 'error',
    });
  } else if (target[1] > engine[1]) {
    problems.push({
      file: name,
      element: '(definitions)',
      rule: 'execution-platform',
      message: `model targets Camunda ${platformVersion} but the engine (${engineVersion}) speaks Camunda ${engine.join('.')}`,
      severity: 'error',
    });
  }

  const linter = new Linter({ config: readLintConfig(root), resolver: new NodeResolver() });
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
  for (const p of projectRules(rootElement, workersDir)) problems.push({ file: name, ...p });

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
export async function checkAllModels(
  dir: string,
  engineVersion: string = OPERATON_VERSION,
  options: CheckOptions = {},
): Promise<CheckedModel[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bpmn'))
    .sort();
  const models: CheckedModel[] = [];
  for (const f of files) {
    const full = path.join(dir, f);
    models.push(await checkModel(full, fs.readFileSync(full, 'utf8'), engineVersion, options));
  }
  const errors = models.flatMap((m) => m.problems.filter((p) => p.severity === 'error'));
  if (errors.length > 0) throw new ModelCheckError(errors);
  return models;
}
