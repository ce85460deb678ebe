import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startAppProcess, type AppProcess } from '../support/app-process.js';
import { FAULT_ENV, startFaultStack, type FaultStack } from '../support/fault-stack.js';
import { eventually } from '../support/eventually.js';
import { outcomeOf, printTally, settled, type Load } from '../support/load.js';

/**
 * Issue 14, fault 3: a worker process SIGKILLed while it holds tasks. A second app process (as
 * `npm start` runs it) works beside the test's own app on the same engine and database; it is
 * killed while the engine shows tasks locked to it. Those tasks come back after their lock and
 * the other app's workers finish them; every side effect (registration numbers, decisions,
 * outbox rows, notices) happens once.
 */
/** how long the engine may take to commit a completion sent just before the kill */
const IN_FLIGHT_MS = 5_000;
const N = Number(process.env.FAULT_LOAD_N ?? 200);
const LOCK_MS = Number(FAULT_ENV.WORKER_JOB_TIMEOUT_MS);

let f: FaultStack;
let load: Load;
let child: AppProcess | undefined;
let childDir: string | undefined;
beforeAll(async () => {
  f = await startFaultStack();
  childDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-worker-kill-'));
  const engine = f.engines[0]!;
  child = await startAppProcess({
    ...FAULT_ENV,
    DATABASE_URL: f.db.url,
    DATA_DIR: childDir,
    ENGINE_REST_URL: engine.url,
    ENGINE_USER: engine.user,
    ENGINE_PASSWORD: engine.password,
    PORT: '0',
    REGISTRY_URL: f.registry.url,
    SMS_GATEWAY_URL: f.sms.url,
    SMTP_URL: f.smtp.url,
  });
}, 400_000);
afterAll(async () => {
  load?.stop();
  if (child?.alive()) child.child.kill('SIGKILL');
  await f?.stop();
  if (childDir) fs.rmSync(childDir, { recursive: true, force: true });
});

describe('worker process killed mid-job', () => {
  it(`given ${N} applications in flight on every path and a second app process holding tasks, when that process is SIGKILLed, then its tasks return after their lock, the other app finishes them, and every side effect happens once`, async () => {
    const pool = f.stack.db.pool;
    const query = (sql: string, p?: unknown[]) => pool.query(sql, p);
    load = f.load(N, 'WK');
    const submitting = load.submitAll();
    const driving = load.drive();

    // the kill, at a moment the engine shows tasks locked to the child's workers
    const childWorker = `-${child!.pid}-`;
    const locked = await eventually(
      async () => {
        const { rows } = await query(
          `SELECT id_ AS id, topic_name_ AS topic, lock_exp_time_ AS "lockedUntil"
             FROM operaton.act_ru_ext_task
            WHERE worker_id_ LIKE $1 AND lock_exp_time_ > now()`,
          [`%${childWorker}%`],
        );
        return rows.length >= 2
          ? (rows as { id: string; topic: string; lockedUntil: Date }[])
          : undefined;
      },
      300_000,
      50,
    );
    child!.child.kill('SIGKILL');
    const killedAt = Date.now();
    await child!.exited;

    await submitting;
    const done = await settled(load, query, 420_000);
    load.stop();
    await driving;

    // each task the dead worker held was finished once, by another worker, after its lock
    const { rows: logs } = await query(
      `SELECT ext_task_id_ AS id, worker_id_ AS worker, timestamp_ AS at
         FROM operaton.act_hi_ext_task_log
        WHERE ext_task_id_ = ANY($1::text[]) AND state_ = 2 -- successful`,
      [locked.map((t) => t.id)],
    );
    const finished = new Map<string, { worker: string; at: Date }[]>();
    for (const l of logs as { id: string; worker: string; at: Date }[])
      finished.set(l.id, [...(finished.get(l.id) ?? []), l]);

    const result = await outcomeOf('worker process killed', load, query, f.sms, f.smtp);
    const { rows: numbers } = await query(
      `SELECT count(*)::int AS n, count(DISTINCT registration_number)::int AS distinct
         FROM application WHERE id = ANY($1::uuid[])`,
      [load.cases.map((c) => c.id)],
    );
    printTally({
      ...result.tally,
      detail: `${locked.length} tasks held by the killed worker (${[...new Set(locked.map((t) => t.topic))].join(', ')}), lock ${LOCK_MS} ms; ${result.tally.detail}`,
    });
    expect(done).toBe(true);
    expect(result.problems).toEqual([]);
    expect(result.tally).toMatchObject({ completed: N, lost: 0, duplicated: 0 });
    expect(numbers[0].n).toBe(numbers[0].distinct);
    for (const t of locked) {
      const ok = finished.get(t.id) ?? [];
      expect(ok).toHaveLength(1); // finished, and once
      const { worker, at } = ok[0]!;
      if (worker.includes(childWorker)) {
        // finished by the child in the moment between the look and the kill: its completion was
        // sent before the kill, and the engine stamps it when it commits, which can be a moment
        // later under load (seen: 156 ms) — never a lock's length later
        expect(at.getTime()).toBeLessThanOrEqual(killedAt + IN_FLIGHT_MS);
      } else {
        // given back by nobody: it came back when its lock ran out
        expect(at.getTime()).toBeGreaterThanOrEqual(new Date(t.lockedUntil).getTime() - 1000);
      }
    }
  }, 900_000);
});
