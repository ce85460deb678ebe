import { EngineError, ok, type EngineRest, type EngineSchemas } from './rest.js';
import { fromEngineVariables, toEngineVariables } from './variables.js';

/**
 * User tasks through the engine: the engine's task is the source of truth. Every change here is
 * written by the engine's task projection plugin into `review_task` in the engine's own
 * transaction, before the engine answers, so a read of the projection after one of these calls
 * sees it (read-your-write).
 *
 * The engine's answers are mapped to two errors the callers can act on:
 * - `EngineTaskNotFound` — no such (open) task (completed, cancelled or unknown): the engine's 404,
 *   or the 400 / 500 "Cannot find task with id" it answers to claim/unclaim/assignee/complete;
 * - `EngineTaskConflict` — `TaskAlreadyClaimedException` (the engine answers 500 to a second
 *   claim by someone else; callers answer 409).
 * Anything else stays an `EngineError`.
 */

/** The engine's view of one open task. */
export interface EngineTask {
  id: string;
  name: string | null;
  assignee: string | null;
  /** ISO-8601 */
  due: string | null;
  followUp: string | null;
  created: string | null;
  processInstanceId: string | null;
  processDefinitionId: string | null;
  /** the BPMN element id of the user task */
  taskDefinitionKey: string | null;
}

export class EngineTaskNotFound extends Error {
  readonly kind = 'not-found' as const;
  constructor(
    readonly taskId: string,
    override readonly cause?: unknown,
  ) {
    super(`no open engine task ${taskId}`);
    this.name = 'EngineTaskNotFound';
  }
}

export class EngineTaskConflict extends Error {
  readonly kind = 'conflict' as const;
  constructor(
    readonly taskId: string,
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'EngineTaskConflict';
  }
}

export interface EngineTasks {
  /** The open task, or undefined when the engine has none with this id (completed, cancelled, unknown). */
  get(taskId: string): Promise<EngineTask | undefined>;
  /**
   * Claims for `userId`. Claiming a task one already holds is a no-op; a task held by someone else
   * throws EngineTaskConflict.
   */
  claim(taskId: string, userId: string): Promise<void>;
  /** Releases the task (whoever held it: callers check who may release). */
  unclaim(taskId: string): Promise<void>;
  /** Sets (reassigns) or clears the assignee, whoever holds the task now. */
  setAssignee(taskId: string, userId: string | null): Promise<void>;
  /**
   * Completes the task with process variables (plain JS values, encoded by the variable codec).
   * Returns the process variables after completion when `withVariablesInReturn` is set.
   */
  complete(
    taskId: string,
    variables?: Record<string, unknown>,
    opts?: { withVariablesInReturn?: boolean },
  ): Promise<Record<string, unknown> | undefined>;
}

/**
 * True when the engine says the task does not exist. Operaton 1.0.3 answers an unknown task id
 * with 404 (GET /task/{id}), 400 NotFoundException "Cannot find task with id …: task is null"
 * (unclaim, assignee) or 500 NullValueException (claim, complete).
 */
export function isTaskNotFound(err: unknown): boolean {
  if (!(err instanceof EngineError)) return false;
  if (err.status === 404) return true;
  return (
    (err.status === 400 || err.status === 500) &&
    (err.type === 'NotFoundException' ||
      err.type === 'NullValueException' ||
      /cannot find task|task is null/i.test(err.message))
  );
}

/** True for the engine's answer to claiming a task that someone else holds. */
export function isTaskAlreadyClaimed(err: unknown): boolean {
  return (
    err instanceof EngineError &&
    (err.type === 'TaskAlreadyClaimedException' || /already claimed/i.test(err.message))
  );
}

function mapError(taskId: string, err: unknown): never {
  if (isTaskNotFound(err)) throw new EngineTaskNotFound(taskId, err);
  if (isTaskAlreadyClaimed(err))
    throw new EngineTaskConflict(taskId, `task ${taskId} is claimed by another user`, err);
  throw err;
}

function toTask(t: EngineSchemas['TaskDto']): EngineTask {
  return {
    id: t.id!,
    name: t.name ?? null,
    assignee: t.assignee ?? null,
    due: t.due ?? null,
    followUp: t.followUp ?? null,
    created: t.created ?? null,
    processInstanceId: t.processInstanceId ?? null,
    processDefinitionId: t.processDefinitionId ?? null,
    taskDefinitionKey: t.taskDefinitionKey ?? null,
  };
}

export function createEngineTasks(rest: EngineRest): EngineTasks {
  const path = (id: string) => ({ params: { path: { id } } });
  return {
    async get(taskId) {
      try {
        return toTask(ok(await rest.GET('/task/{id}', path(taskId))));
      } catch (err) {
        if (isTaskNotFound(err)) return undefined;
        throw err;
      }
    },
    async claim(taskId, userId) {
      try {
        ok(await rest.POST('/task/{id}/claim', { ...path(taskId), body: { userId } }));
      } catch (err) {
        mapError(taskId, err);
      }
    },
    async unclaim(taskId) {
      try {
        ok(await rest.POST('/task/{id}/unclaim', path(taskId)));
      } catch (err) {
        mapError(taskId, err);
      }
    },
    async setAssignee(taskId, userId) {
      try {
        ok(
          await rest.POST('/task/{id}/assignee', {
            ...path(taskId),
            body: { userId }, // null clears the assignee
          }),
        );
      } catch (err) {
        mapError(taskId, err);
      }
    },
    async complete(taskId, variables = {}, opts = {}) {
      const withVariablesInReturn = opts.withVariablesInReturn ?? false;
      try {
        const data = ok(
          await rest.POST('/task/{id}/complete', {
            ...path(taskId),
            body: { variables: toEngineVariables(variables), withVariablesInReturn },
          }),
        );
        return withVariablesInReturn
          ? fromEngineVariables(data as Record<string, EngineSchemas['VariableValueDto']>)
          : undefined;
      } catch (err) {
        return mapError(taskId, err);
      }
    },
  };
}
