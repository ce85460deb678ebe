import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';

/** What every worker gets from the host: the database and a logger that redacts personal data. */
export interface WorkerDeps {
  pool: Pool;
  log: Logger;
  /** The time the worker acts at. */
  now(): Date;
}

export interface JobContext<V> {
  key: string;
  processInstanceKey: string;
  bpmnProcessId: string;
  elementId: string;
  /** Unique per task instance: the idempotency key for anything a task sends or creates. */
  elementInstanceKey: string;
  retries: number;
  /**
   * When the task was locked for this worker (lock expiry minus lock duration, the engine's
   * clock). Workers date what they record with it, so one task's records share one instant.
   */
  engineTime: Date;
  variables: V;
  headers: Record<string, string | number>;
}

/**
 * A business outcome the process models with an error boundary event (BPMN error), as opposed
 * to a technical failure, which is retried with backoff and ends in an incident.
 */
export class BpmnError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly variables: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BpmnError';
  }
}

/**
 * One module per topic in workers/: the file name, the external task's topic and the test share
 * this name. The handler returns the variables to merge into the process, throws BpmnError for
 * a modelled business outcome, or throws anything else to be retried.
 */
export interface WorkerDefinition<V = Record<string, unknown>, R = Record<string, unknown>> {
  taskType: string;
  /** Only these variables are fetched (keeps personal data out of jobs that don't need it). */
  fetchVariables: string[];
  /** Job lease; the engine gives the job to another worker if this one dies. */
  timeoutMs?: number;
  handle(job: JobContext<V>, deps: WorkerDeps): Promise<R>;
}

export function defineWorker<V, R>(def: WorkerDefinition<V, R>): WorkerDefinition<V, R> {
  return def;
}
