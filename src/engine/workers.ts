/**
 * The external-task worker host: one long-polling fetch-and-lock for every topic, bounded
 * concurrency, complete / BPMN error / failure with retries and backoff, lock extension for long
 * work, and a stop that leaves no task locked to a dead worker.
 *
 * Why our own client and not `camunda-external-task-client-js`: that library never extends a lock,
 * leaves a task locked for its whole lock duration when a handler throws or the process exits
 * during a long poll, and is ESM-only without types. The engine's REST API for external tasks is
 * six calls, so a small client over the types generated from the OpenAPI document (a misspelt field
 * is a compile error, which matters because the engine silently ignores unknown fields) is less
 * code to trust than a wrapper that patches those gaps.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Logger } from 'pino';
import { type EngineRest, EngineError, type EngineSchemas, ok } from './rest.js';
import { DEFAULT_TASK_RETRIES, retryBackoffMs } from './retry.js';
import { fromEngineVariables, toEngineVariables } from './variables.js';
import { BpmnError, type JobContext, type WorkerDefinition, type WorkerDeps } from './worker.js';

type LockedTask = EngineSchemas['LockedExternalTaskDto'];

/** dist/workers when running compiled, workers/ when tests run the sources. */
export function defaultWorkersDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'workers');
}

function isWorkerDefinition(x: unknown): x is WorkerDefinition {
  const d = x as WorkerDefinition | undefined;
  return (
    !!d &&
    typeof d.taskType === 'string' &&
    typeof d.handle === 'function' &&
    Array.isArray(d.fetchVariables)
  );
}

/** Loads every worker module (default export) in the folder; a module that isn't one is an error. */
export async function loadWorkers(dir: string = defaultWorkersDir()): Promise<WorkerDefinition[]> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .sort();
  const defs: WorkerDefinition[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { default?: unknown };
    if (!isWorkerDefinition(mod.default)) {
      throw new Error(
        `${f}: the default export is not a worker definition (taskType, fetchVariables, handle)`,
      );
    }
    if (path.parse(f).name !== mod.default.taskType) {
      throw new Error(`${f}: file name and topic "${mod.default.taskType}" must be the same`);
    }
    defs.push(mod.default);
  }
  return defs;
}

export interface WorkerHostOptions {
  /** Lock duration of a worker without its own `timeoutMs`. */
  lockDurationMs: number;
  /** First retry delay after a failure; doubles per failure (see retry.ts). */
  retryBackoffBaseMs: number;
  /** Tasks handled at the same time (and so the most one fetch locks). Default 8. */
  maxTasks?: number;
  /** How long one fetch waits in the engine for a task (long polling). Default 10 s. */
  asyncResponseTimeoutMs?: number;
  /**
   * Pause after a fetch that found no task before the next one. Default 0: with long polling the
   * engine itself waits; without it (asyncResponseTimeoutMs 0) this is the poll interval.
   */
  pollIntervalMs?: number;
  /** Retries of a task the engine has not counted yet (first failure). Default 5. */
  defaultRetries?: number;
  /** Wait after a failed fetch (engine down): doubles from min up to max. Default 500 ms – 10 s. */
  fetchBackoffMs?: { min: number; max: number };
  /** Identifies this host's locks in the engine. Default hostname-pid-random. */
  workerId?: string;
}

export interface WorkerHost {
  taskTypes: string[];
  workerId: string;
  /** Tasks being handled right now. */
  readonly inFlight: number;
  /**
   * Stops fetching (aborts the long poll), waits up to graceMs for the tasks in hand, then
   * unlocks every task still locked to this host so another worker takes it at once. Because the
   * engine keeps an aborted long poll open until its asyncResponseTimeout (and may lock a task to
   * it), the unlock waits for that: stop() takes at most max(graceMs, asyncResponseTimeoutMs + 1 s).
   */
  stop(graceMs?: number): Promise<void>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** The engine keeps at most 666 characters of an external task's error message. */
const MAX_ERROR_MESSAGE = 600;

/** The stack frames of an error and its causes, without their messages (they may carry data). */
export function errorDetails(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e instanceof Error && depth < 5; depth++) {
    const frames = (e.stack ?? '')
      .split('\n')
      .filter((l) => /^\s+at /.test(l))
      .join('\n');
    parts.push(`${depth ? 'Caused by: ' : ''}${e.name}\n${frames}`);
    e = (e as { cause?: unknown }).cause;
  }
  return parts.length ? parts.join('\n') : typeof err;
}

/** A readable one-line reason for the incident (Cockpit shows it). */
export function errorMessage(topic: string, err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return `${topic} failed: ${m}`.slice(0, MAX_ERROR_MESSAGE);
}

/**
 * The failure to report: one retry fewer than the task has (the engine sends null before the
 * first failure: then the configured default counts), and the backoff before the next attempt.
 */
export function failurePlan(
  taskRetries: number | null | undefined,
  defaultRetries: number,
  baseMs: number,
): { retries: number; retryTimeout: number } {
  const left = taskRetries ?? defaultRetries;
  const retries = Math.max(0, left - 1);
  return {
    retries,
    retryTimeout: retries > 0 ? retryBackoffMs(baseMs, left, defaultRetries) : 0,
  };
}

/**
 * Starts fetching for every worker definition (topic == taskType). Resolves at once; fetch
 * errors (engine down, wrong credentials) are logged and retried with backoff forever.
 */
export function startWorkers(
  rest: EngineRest,
  defs: WorkerDefinition[],
  deps: WorkerDeps,
  opts: WorkerHostOptions,
): WorkerHost {
  const workerId =
    opts.workerId ?? `az-housing-${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const maxTasks = opts.maxTasks ?? 8;
  const pollMs = opts.asyncResponseTimeoutMs ?? 10_000;
  const idleMs = opts.pollIntervalMs ?? 0;
  const defaultRetries = opts.defaultRetries ?? DEFAULT_TASK_RETRIES;
  const backoff = opts.fetchBackoffMs ?? { min: 500, max: 10_000 };
  const byTopic = new Map(defs.map((d) => [d.taskType, d]));
  const lockMs = (d: WorkerDefinition) => d.timeoutMs ?? opts.lockDurationMs;
  const log = deps.log.child({ workerId });

  const inFlight = new Map<string, Promise<void>>();
  /** Lock extenders of the tasks in hand (cleared when a task ends or is given back on stop). */
  const extenders = new Map<string, NodeJS.Timeout>();
  const stopController = new AbortController();
  let slotFreed: (() => void) | undefined;

  /** One engine call about a locked task; network errors are retried a few times. */
  async function report(
    what: string,
    taskId: string,
    call: (signal: AbortSignal) => Promise<{ data?: unknown; error?: unknown; response: Response }>,
    tlog: Logger,
  ): Promise<true | EngineError | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        ok(await call(AbortSignal.timeout(30_000)));
        return true;
      } catch (err) {
        if (err instanceof EngineError) {
          // 404: the task is gone (instance cancelled, boundary event); 400: locked by another
          // worker (our lock lapsed); 500: the engine failed to continue the process from here.
          tlog.warn({ taskId, status: err.status, err: err.message }, `could not ${what}`);
          return err;
        }
        if (attempt >= 4) {
          tlog.warn(
            { taskId, err: (err as Error).message },
            `could not ${what}; the lock will lapse and the task come back`,
          );
          return undefined;
        }
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  /** The retries a task starts with: its model's `retries` extension property, or the default. */
  function modelRetries(task: LockedTask): number {
    const n = Number((task.extensionProperties as Record<string, string> | null)?.retries);
    return Number.isInteger(n) && n >= 1 && n <= 100 ? n : defaultRetries;
  }

  async function handleTask(def: WorkerDefinition, task: LockedTask): Promise<void> {
    const taskId = task.id!;
    const lock = lockMs(def);
    const tlog = log.child({
      topic: def.taskType,
      taskId,
      processInstanceId: task.processInstanceId,
    });
    const lockedUntil = task.lockExpirationTime ? Date.parse(task.lockExpirationTime) : NaN;
    const ctx: JobContext<unknown> = {
      key: taskId,
      processInstanceKey: task.processInstanceId ?? '',
      bpmnProcessId: task.processDefinitionKey ?? '',
      elementId: task.activityId ?? '',
      elementInstanceKey: task.activityInstanceId ?? taskId,
      retries: task.retries ?? modelRetries(task),
      engineTime: Number.isFinite(lockedUntil) ? new Date(lockedUntil - lock) : new Date(),
      variables: fromEngineVariables(task.variables),
      headers: {},
    };

    // Long work keeps its lock: extended by a full lock duration every half lock.
    const extender = setInterval(
      () => {
        void rest
          .POST('/external-task/{id}/extendLock', {
            params: { path: { id: taskId } },
            body: { workerId, newDuration: lock },
            signal: AbortSignal.timeout(10_000),
          })
          .then((r) => {
            ok(r);
            tlog.debug({ newDurationMs: lock }, 'lock extended');
          })
          .catch((err: unknown) =>
            tlog.warn({ err: (err as Error).message }, 'could not extend the lock'),
          );
      },
      Math.max(500, Math.floor(lock / 2)),
    );
    extenders.set(taskId, extender);

    let outcome: 'complete' | 'bpmn-error' | 'failure';
    let result: unknown;
    let failure: unknown;
    try {
      result = await def.handle(ctx as never, { ...deps, log: tlog });
      outcome = 'complete';
    } catch (err) {
      failure = err;
      outcome = err instanceof BpmnError ? 'bpmn-error' : 'failure';
    } finally {
      clearInterval(extender);
      extenders.delete(taskId);
    }

    if (outcome === 'complete') {
      const variables = toEngineVariables((result ?? {}) as Record<string, unknown>);
      const done = await report(
        'complete the task',
        taskId,
        (signal) =>
          rest.POST('/external-task/{id}/complete', {
            params: { path: { id: taskId } },
            body: { workerId, variables, localVariables: null },
            signal,
          }),
        tlog,
      );
      if (done === true) tlog.debug('task completed');
      else if (done?.status === 500) {
        // The engine could not continue from this task (e.g. an expression after it failed). It
        // is reported as a failure so that the retries run out into an incident, instead of the
        // lock lapsing and the task coming back forever.
        outcome = 'failure';
        failure = new Error(`the engine could not complete the task: ${done.message}`);
      }
    }
    if (outcome === 'bpmn-error') {
      const e = failure as BpmnError;
      tlog.info({ code: e.code }, 'business error thrown to the process');
      await report(
        'throw the BPMN error',
        taskId,
        (signal) =>
          rest.POST('/external-task/{id}/bpmnError', {
            params: { path: { id: taskId } },
            body: {
              workerId,
              errorCode: e.code,
              errorMessage: e.message,
              variables: toEngineVariables(e.variables),
            },
            signal,
          }),
        tlog,
      );
    } else if (outcome === 'failure') {
      const plan = failurePlan(task.retries, modelRetries(task), opts.retryBackoffBaseMs);
      tlog.warn(
        {
          retriesLeft: plan.retries,
          retryInMs: plan.retryTimeout,
          err: failure instanceof Error ? failure.message : String(failure),
        },
        plan.retries > 0 ? 'task failed; will retry' : 'task failed; incident raised',
      );
      await report(
        'report the failure',
        taskId,
        (signal) =>
          rest.POST('/external-task/{id}/failure', {
            params: { path: { id: taskId } },
            body: {
              workerId,
              errorMessage: errorMessage(def.taskType, failure),
              errorDetails: errorDetails(failure),
              retries: plan.retries,
              retryTimeout: plan.retryTimeout,
            },
            signal,
          }),
        tlog,
      );
    }
  }

  function run(task: LockedTask): void {
    const def = byTopic.get(task.topicName ?? '');
    if (!def || !task.id) return;
    const id = task.id;
    const work = handleTask(def, task)
      .catch((err: unknown) =>
        log.error({ taskId: id, err: (err as Error).message }, 'task handling failed unexpectedly'),
      )
      .finally(() => {
        inFlight.delete(id);
        slotFreed?.();
      });
    inFlight.set(id, work);
  }

  const topics: EngineSchemas['FetchExternalTaskTopicDto'][] = defs.map((d) => ({
    topicName: d.taskType,
    lockDuration: lockMs(d),
    variables: d.fetchVariables,
    localVariables: false,
    withoutTenantId: null,
    deserializeValues: true,
    // a model may give a task its own retries (<camunda:property name="retries" value="8"/>)
    includeExtensionProperties: true,
  }));

  /**
   * When the pending long poll started. Aborting it only closes our side: the engine keeps the
   * request until its asyncResponseTimeout and may lock a task to it meanwhile, so stop() waits
   * for that moment before it gives back what is locked to this host.
   */
  let pollStartedAt: number | undefined;
  const loop = (async () => {
    let wait = backoff.min;
    let failing = false;
    while (!stopController.signal.aborted) {
      const free = maxTasks - inFlight.size;
      if (free <= 0) {
        await Promise.race([
          new Promise<void>((r) => (slotFreed = r)),
          sleep(60_000, stopController.signal),
        ]);
        slotFreed = undefined;
        continue;
      }
      let tasks: LockedTask[];
      try {
        pollStartedAt = Date.now();
        tasks = ok(
          await rest.POST('/external-task/fetchAndLock', {
            body: {
              workerId,
              maxTasks: free,
              usePriority: true,
              asyncResponseTimeout: pollMs,
              topics,
            },
            // the long poll plus a margin: a hung engine cannot hold the loop forever
            signal: AbortSignal.any([stopController.signal, AbortSignal.timeout(pollMs + 15_000)]),
          }),
        ) as LockedTask[];
        pollStartedAt = undefined;
      } catch (err) {
        if (stopController.signal.aborted) break;
        pollStartedAt = undefined;
        const msg = (err as Error).message;
        if (!failing) log.warn({ err: msg, retryInMs: wait }, 'fetching tasks failed; retrying');
        else log.debug({ err: msg, retryInMs: wait }, 'fetching tasks still failing');
        failing = true;
        await sleep(wait, stopController.signal);
        wait = Math.min(wait * 2, backoff.max);
        continue;
      }
      if (failing) log.info('fetching tasks again');
      failing = false;
      wait = backoff.min;
      for (const t of tasks) run(t);
      if (tasks.length === 0 && idleMs > 0) await sleep(idleMs, stopController.signal);
    }
  })();

  log.info({ topics: defs.map((d) => d.taskType), maxTasks }, 'workers fetching tasks');

  let stopped: Promise<void> | undefined;
  return {
    taskTypes: defs.map((d) => d.taskType),
    workerId,
    get inFlight() {
      return inFlight.size;
    },
    stop(graceMs = 30_000) {
      stopped ??= (async () => {
        stopController.abort();
        await loop;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise((r) => (timer = setTimeout(r, graceMs)));
        await Promise.race([Promise.allSettled([...inFlight.values()]), deadline]);
        clearTimeout(timer);
        for (const t of extenders.values()) clearInterval(t);
        extenders.clear();
        if (pollStartedAt !== undefined) {
          const orphanEnds = pollStartedAt + pollMs + 1000;
          await sleep(Math.max(0, orphanEnds - Date.now()));
        }
        // Whatever is still locked to this host (unfinished work, or tasks locked by a fetch
        // whose answer the abort cut off) is given back now rather than after its lock lapses.
        await unlockAll().catch((err: unknown) =>
          log.warn({ err: (err as Error).message }, 'could not unlock the tasks left'),
        );
        log.info({ unfinished: inFlight.size }, 'workers stopped');
      })();
      return stopped;
    },
  };

  async function unlockAll(): Promise<void> {
    const locked = ok(
      await rest.POST('/external-task', {
        body: {
          workerId,
          locked: true,
          variableNamesIgnoreCase: null,
          variableValuesIgnoreCase: null,
        },
        signal: AbortSignal.timeout(10_000),
      }),
    ) as EngineSchemas['ExternalTaskDto'][];
    for (const t of locked) {
      if (!t.id) continue;
      try {
        ok(
          await rest.POST('/external-task/{id}/unlock', {
            params: { path: { id: t.id } },
            signal: AbortSignal.timeout(10_000),
          }),
        );
        log.info({ taskId: t.id, topic: t.topicName }, 'unfinished task unlocked');
      } catch (err) {
        log.warn({ taskId: t.id, err: (err as Error).message }, 'could not unlock a task');
      }
    }
  }
}
