import { expect } from '@jest/globals';
import { ok, type EngineRest } from '../../src/engine/rest.js';
import { eventually } from './stack.js';

export interface TimerQuery {
  /** The timer event's element id in the model. */
  activityId: string;
  /** The case whose process (or called subprocess) holds the timer. */
  businessKey?: string;
  processInstanceId?: string;
  /** A timer start event: the process it starts (its job belongs to no instance). */
  processDefinitionKey?: string;
}

async function instanceIds(engine: EngineRest, q: TimerQuery): Promise<string[]> {
  if (q.processInstanceId) return [q.processInstanceId];
  const instances = ok(
    await engine.GET('/process-instance', { params: { query: { businessKey: q.businessKey } } }),
  );
  return instances.map((i) => i.id!);
}

/** Waits until the process has reached the timer and returns its job (id and due date). */
export async function timerJob(
  engine: EngineRest,
  q: TimerQuery,
  timeoutMs = 15_000,
): Promise<{ id: string; dueDate: Date }> {
  return eventually(async () => {
    // one query per instance: the engine's list form (processInstanceIds) fails in its SQL
    const scopes: ({ processInstanceId: string } | { processDefinitionKey: string })[] =
      q.processDefinitionKey && !q.businessKey && !q.processInstanceId
        ? [{ processDefinitionKey: q.processDefinitionKey }]
        : (await instanceIds(engine, q)).map((processInstanceId) => ({ processInstanceId }));
    const jobs = [];
    for (const scope of scopes) {
      jobs.push(
        ...ok(
          await engine.GET('/job', {
            params: { query: { timers: true, activityId: q.activityId, ...scope } },
          }),
        ),
      );
    }
    const job = jobs[0];
    return job?.id && job.dueDate ? { id: job.id, dueDate: new Date(job.dueDate) } : undefined;
  }, timeoutMs);
}

/**
 * Fires a timer the way the engine would at its due date — without waiting for the wall clock:
 * asserts the timer's due date is the calendar-computed date, then executes the timer job.
 */
export async function fireTimer(
  engine: EngineRest,
  q: TimerQuery,
  expectedDue: Date | string,
  /** For a cycle counted from an instant the test only knows roughly (a deployment). */
  toleranceMs = 0,
): Promise<void> {
  const job = await timerJob(engine, q);
  if (toleranceMs === 0) {
    expect(job.dueDate.toISOString()).toBe(new Date(expectedDue).toISOString());
  } else {
    const off = Math.abs(job.dueDate.getTime() - new Date(expectedDue).getTime());
    expect(off).toBeLessThanOrEqual(toleranceMs);
  }
  ok(await engine.POST('/job/{id}/execute', { params: { path: { id: job.id } } }));
}
