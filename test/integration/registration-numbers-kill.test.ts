import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../../src/db/embedded.js';
import { migrate } from '../../src/db/migrate.js';
import { createPool, type Pool } from '../../src/db/pool.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { completeForm, SIGNED } from '../support/applications.js';
import { PORTAL, seedTestPrincipals } from '../support/auth.js';
import { APP_LOG_DIR, LogCapture } from '../support/log-capture.js';

// Issue 14: "Registration numbers jumped from 9 to 34 after an unclean stop". A registration
// number is the citizen's place in line (003 §5.5): numbers must stay gapless whatever dies.
// This file runs its own PostgreSQL (embedded, so it can be SIGKILLed) and the API as its own
// process, kills both with SIGKILL while submissions are in flight, starts them again on the
// same data and finishes the load.

const log = createLogger('info', new LogCapture());
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-regno-kill-'));
let server: EmbeddedDatabase | undefined;
let api: ChildProcess | undefined;
let pool: Pool | undefined;

afterAll(async () => {
  api?.kill('SIGKILL');
  await pool?.end();
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** The API process on the server's database; resolves with its address once it listens. */
function startApi(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'test/support/api-process.mjs')], {
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      DATABASE_URL: databaseUrl,
      API_LOG_FILE: path.join(APP_LOG_DIR, `registration-numbers-kill-api-${Date.now()}.log`),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening (\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<void> {
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  expect(alive(pid)).toBe(false);
}

const call = (base: string, p: string, body: unknown) =>
  fetch(`${base}${p}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...PORTAL },
    body: JSON.stringify(body),
  }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

describe('gapless registration numbers across an unclean stop (003 §5.5, issue 14)', () => {
  it('given submissions in flight, when the API and PostgreSQL are killed with SIGKILL and started again, then the numbers are 1..N without a gap and every answered number is kept', async () => {
    const N = 120;
    server = await startEmbeddedDatabase(dataDir, log);
    pool = createPool({ connectionString: server.url, max: 4 });
    await migrate(pool, log);
    await seedTestPrincipals(pool);
    let running = await startApi(server.url);
    api = running.child;

    // drafts first (every FIN its own family, so the once-only rule refuses none)
    const ids: string[] = [];
    for (let i = 0; i < N; i++) {
      const fin = `7K${String(i).padStart(5, '0')}`;
      const d = await call(running.url, '/api/v1/applications', {
        applicantFin: fin,
        form: completeForm(),
      });
      expect(d.status).toBe(201);
      ids.push(d.body.id);
    }

    // load: 8 submitters in parallel; the kill comes after 30 answers, with more in flight
    const answered = new Map<string, number>();
    let next = 0;
    let killed = false;
    const base = running.url;
    const submitter = async () => {
      while (!killed && next < N) {
        const id = ids[next++]!;
        try {
          const r = await call(base, `/api/v1/applications/${id}/submit`, SIGNED);
          if (r.status === 200) answered.set(id, r.body.registrationNumber);
        } catch {
          /* the process died under this request */
        }
      }
    };
    const load = Promise.all(Array.from({ length: 8 }, submitter));
    while (answered.size < 30) await new Promise((r) => setTimeout(r, 5));
    killed = true;
    const pgPid = server.pid;
    process.kill(running.child.pid!, 'SIGKILL');
    process.kill(-pgPid, 'SIGKILL'); // the postmaster's process group: every backend with it
    await Promise.all([gone(running.child.pid!), gone(pgPid)]);
    await load;
    await pool.end().catch(() => undefined);

    // restart on the same data (crash recovery), then everyone submits — again, for those
    // whose answer was lost: a repeated submit answers the number it got
    server = await startEmbeddedDatabase(dataDir, log);
    pool = createPool({ connectionString: server.url, max: 4 });
    running = await startApi(server.url);
    api = running.child;
    const final = new Map<string, number>();
    for (const id of ids) {
      const r = await call(running.url, `/api/v1/applications/${id}/submit`, SIGNED);
      expect(r.status).toBe(200);
      final.set(id, r.body.registrationNumber);
    }

    // every number answered before the crash is the citizen's number still
    for (const [id, n] of answered) expect(final.get(id)).toBe(n);
    const { rows } = await pool.query<{ n: number }>(
      `SELECT registration_number AS n FROM application ORDER BY registration_number`,
    );
    expect(rows.map((r) => r.n)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
    const counter = await pool.query(`SELECT last_value FROM registration_counter`);
    expect(counter.rows[0].last_value).toBe(N);
    log.info({ answeredBeforeKill: answered.size, total: N }, 'registration numbers after kill');
  }, 600_000);
});
