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
      throw new Error(`${f}: file name and task type "${mod.default.taskType}" must be the same`);
    }
    defs.push(mod.default);
  }
  return defs;
}

export interface WorkerHostOptions {
  jobTimeoutMs: number;
  retryBackoffBaseMs: number;
  /**
   * Our own catch-up poll. The stream only pushes jobs created while it is open; this poll
   * picks up the rest (jobs created while no worker ran, leases that expired, a stream lost
   * when the broker restarted), so no job waits longer than this.
   */
  pollIntervalMs?: number;
  maxJobsPerPoll?: number;
}

export interface WorkerHost {
  taskTypes: string[];
  /** Stops taking jobs and waits (up to graceMs) for the jobs in hand to finish. */
  stop(graceMs?: number): Promise<void>;
}

interface RawJob {
  key: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  retries: number;
  deadline: string | number;
  variables: unknown;
  customHeaders: unknown;
}

// The SDK prints the gRPC status of every stream it cancels on close to console.error; a
// cancellation we asked for is not an error, so only that one message is dropped.
// eslint-disable-next-line no-console -- wrapping, not printing
const originalConsoleError = console.error.bind(console);
// eslint-disable-next-line no-console -- see above
console.error = (...args: unknown[]) => {
  const e = args[0] as { code?: number; details?: string } | undefined;
  if (args.length === 1 && e?.code === 1 && e.details === 'Cancelled on client') return;
  originalConsoleError(...args);
};

/**
 * Opens one job stream per task type (job streaming pushes jobs as they are created) plus a
 * catch-up poll. Failures are retried with exponential backoff; when the retries run out the
 * engine raises an incident carrying the error message.
 */
export async function startWorkers(
  zeebe: ZeebeGrpcClient,
  defs: WorkerDefinition[],
  deps: WorkerDeps,
  opts: WorkerHostOptions,
): Promise<WorkerHost> {
  const inFlight = new Set<Promise<unknown>>();
  const streams: { close: () => void }[] = [];
  const timers: NodeJS.Timeout[] = [];
  const workerName = `az-housing-${os.hostname()}-${process.pid}`;
  let stopping = false;

  const run = (def: WorkerDefinition, log: Logger, job: RawJob, timeoutMs: number): void => {
    if (stopping) return; // not taken: the lease lapses and another worker gets the job
    const work = (async () => {
      const ctx = {
        key: job.key,
        processInstanceKey: job.processInstanceKey,
        bpmnProcessId: job.bpmnProcessId,
        elementId: job.elementId,
        elementInstanceKey: job.elementInstanceKey,
        retries: job.retries,
        engineTime: new Date(Number(job.deadline) - timeoutMs),
        variables: job.variables as never,
        headers: { ...(job.customHeaders as Record<string, string | number>) },
      };
      try {
        const out = await def.handle(ctx, { ...deps, log });
        await zeebe.completeJob({ jobKey: job.key, variables: (out ?? {}) as never });
      } catch (err) {
        if (err instanceof BpmnError) {
          log.info({ jobKey: job.key, code: err.code }, 'business error thrown to the process');
          await zeebe.throwError({
            jobKey: job.key,
            errorCode: err.code,
            errorMessage: err.message,
            variables: err.variables as never,
          });
          return;
        }
        const message = err instanceof Error ? err.message : String(err);
        const retries = Math.max(0, job.retries - 1);
        log.warn(
          { jobKey: job.key, retriesLeft: retries, err: message },
          retries > 0 ? 'job failed; will retry' : 'job failed; incident raised',
        );
        await zeebe.failJob({
          jobKey: job.key,
          errorMessage: `${def.taskType} failed: ${message}`,
          retries,
          retryBackOff: retries > 0 ? retryBackoffMs(opts.retryBackoffBaseMs, job.retries) : 0,
        });
      }
    })().catch((err: unknown) => {
      // Completing/failing did not reach the broker: the lease lapses and the job comes back.
      log.warn(
        { jobKey: job.key, err: (err as Error).message },
        'could not report the job outcome',
      );
    });
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  for (const def of defs) {
    const log: Logger = deps.log.child({ taskType: def.taskType });
    const timeout = def.timeoutMs ?? opts.jobTimeoutMs;
    const stream = await zeebe.streamJobs({
      type: def.taskType,
      worker: workerName,
      timeout,
      fetchVariables: def.fetchVariables,
      pollInterval: -1, // the SDK's own poll reschedules itself after close; ours is below
      tenantIds: [],
      taskHandler: (job) => {
        run(def, log, job as unknown as RawJob, timeout);
        return job.forward();
      },
    });
    streams.push(stream);

    const poll = async () => {
      if (stopping) return;
      try {
        const jobs = await zeebe.activateJobs({
          type: def.taskType,
          worker: workerName,
          timeout,
          maxJobsToActivate: opts.maxJobsPerPoll ?? 32,
          fetchVariable: def.fetchVariables,
          requestTimeout: -1,
        });
        for (const job of jobs) run(def, log, job as unknown as RawJob, timeout);
      } catch (err) {
        if (!stopping) log.debug({ err: (err as Error).message }, 'catch-up poll failed');
      }
      if (!stopping) timers.push(setTimeout(() => void poll(), opts.pollIntervalMs ?? 5000));
    };
    timers.push(setTimeout(() => void poll(), opts.pollIntervalMs ?? 5000));
  }
  deps.log.info({ taskTypes: defs.map((d) => d.taskType) }, 'workers streaming jobs');

  return {
    taskTypes: defs.map((d) => d.taskType),
    async stop(graceMs = 30_000) {
      stopping = true;
      for (const t of timers) clearTimeout(t);
      for (const s of streams) s.close();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise((r) => (timer = setTimeout(r, graceMs)));
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
      clearTimeout(timer);
    },
  };
}
