import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Zeebe } from '@camunda8/sdk';
import type { Logger } from 'pino';
import { retryBackoffMs } from './retry.js';
import { BpmnError, type WorkerDefinition, type WorkerDeps } from './worker.js';

type ZeebeGrpcClient = Zeebe.ZeebeGrpcClient;

/** dist/workers when running compiled, workers/ when tests run the sources. */
export function defaultWorkersDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'workers');
}

function isWorkerDefinition(x: unknown): x is WorkerDefinition {
  const d = x as WorkerDefinition | undefined;
  return !!d && typeof d.taskType === 'string' && typeof d.handle === 'function' && Array.isArray(d.fetchVariables);
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
      throw new Error(`${f}: the default export is not a worker definition (taskType, fetchVariables, handle)`);
    }
    if (path.parse(f).name !== mod.default.taskType) {
      throw new Error(`${f}: file name and task type "${mod.default.taskType}" must be the same`);
    }
    defs.push(mod.default);
  }
  return defs;
}

export interface WorkerHostOptions {
  jobTimeoutMs: number;
  retryBackoffBaseMs: number;
  /** The sidecar poll that picks up jobs created while no stream was open (e.g. after a crash). */
  pollIntervalMs?: number;
}

export interface WorkerHost {
  taskTypes: string[];
  /** Stops taking jobs and waits (up to graceMs) for the jobs in hand to finish. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Opens one job stream per task type (job streaming pushes jobs as they are created; a slow
 * poll catches the rest). Failures are retried with exponential backoff; when the retries run
 * out the engine raises an incident carrying the error message.
 */
export async function startWorkers(
  zeebe: ZeebeGrpcClient,
  defs: WorkerDefinition[],
  deps: WorkerDeps,
  opts: WorkerHostOptions,
): Promise<WorkerHost> {
  const inFlight = new Set<Promise<unknown>>();
  const streams: { close: () => void }[] = [];
  const workerName = `az-housing-${os.hostname()}-${process.pid}`;
  let stopping = false;

  for (const def of defs) {
    const log: Logger = deps.log.child({ taskType: def.taskType });
    const stream = await zeebe.streamJobs({
      type: def.taskType,
      worker: workerName,
      timeout: def.timeoutMs ?? opts.jobTimeoutMs,
      fetchVariables: def.fetchVariables,
      pollInterval: opts.pollIntervalMs ?? 30_000,
      tenantIds: [],
      taskHandler: (job) => {
        if (stopping) return job.forward(); // let the lease lapse; another worker takes it
        const run = (async () => {
          const ctx = {
            key: job.key,
            processInstanceKey: job.processInstanceKey,
            bpmnProcessId: job.bpmnProcessId,
            elementId: job.elementId,
            retries: job.retries,
            variables: job.variables as never,
            headers: { ...(job.customHeaders as Record<string, string | number>) },
          };
          try {
            const out = await def.handle(ctx, { ...deps, log });
            return await job.complete((out ?? {}) as never);
          } catch (err) {
            if (err instanceof BpmnError) {
              log.info({ jobKey: job.key, code: err.code }, 'business error thrown to the process');
              return await job.error({ errorCode: err.code, errorMessage: err.message, variables: err.variables as never });
            }
            const message = err instanceof Error ? err.message : String(err);
            const retries = Math.max(0, job.retries - 1);
            log.warn({ jobKey: job.key, retriesLeft: retries, err: message }, 'job failed');
            return await job.fail({
              errorMessage: `${def.taskType} failed: ${message}`,
              retries,
              retryBackOff: retries > 0 ? retryBackoffMs(opts.retryBackoffBaseMs, job.retries) : 0,
            });
          }
        })();
        inFlight.add(run);
        void run.finally(() => inFlight.delete(run)).catch(() => undefined);
        return run as never;
      },
    });
    streams.push(stream);
  }
  deps.log.info({ taskTypes: defs.map((d) => d.taskType) }, 'workers streaming jobs');

  return {
    taskTypes: defs.map((d) => d.taskType),
    async stop(graceMs = 30_000) {
      stopping = true;
      for (const s of streams) s.close();
      const deadline = new Promise((r) => setTimeout(r, graceMs).unref());
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
    },
  };
}
