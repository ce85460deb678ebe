import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { runner } from 'node-pg-migrate';
import { listInbox, type InboxQuery } from '../src/cases/reviewer-inbox.js';
import { deadlineDashboard } from '../src/cases/deadline-dashboard.js';
import { loadCalendar } from '../src/cases/calendar-repository.js';
import { migrationsDir } from '../src/paths.js';

const say = (text: string) => process.stdout.write(`${text}\n`);

/**
 * Inbox benchmark (issue 10, item 5: p99 <= 50 ms with 100,000 open tasks). Creates a scratch
 * database on PG_ADMIN_URL (default postgresql://postgres@127.0.0.1:5432/postgres), applies the
 * app's migrations, fills the task projection with OPEN open tasks (plus CLOSED completed ones)
 * spread over BODIES candidate groups, with their applications / waitlist cases, and times the
 * inbox (listInbox: counts + total + page, as GET /api/v1/review-tasks runs them) for the main
 * filters. Prints median / p99 per query and EXPLAIN ANALYZE of the page queries when EXPLAIN=1.
 * Drops the database at the end (KEEP=1 keeps it).
 *
 * Run: npm run build && node dist/bench/inbox.js
 */
const ADMIN = process.env.PG_ADMIN_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const OPEN = Number(process.env.OPEN ?? 100_000);
const CLOSED = Number(process.env.CLOSED ?? 100_000);
const BODIES = Number(process.env.BODIES ?? 10);
const RUNS = Number(process.env.RUNS ?? 300);

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function seed(pool: pg.Pool): Promise<string[]> {
  const bodies = ['mida', 'baku-nasimi', 'sumgait'];
  for (let i = bodies.length; i < BODIES; i++) {
    const code = `body-${i}`;
    await pool.query(
      `INSERT INTO registering_body (code, kind, name_az, name_en, registration_norm_m2)
       VALUES ($1, 'local-executive', $1, $1, 9.00) ON CONFLICT DO NOTHING`,
      [code],
    );
    bodies.push(code);
  }
  const total = OPEN + CLOSED;
  // 5/7 applications (category 1-11), 2/7 waitlist cases (list kind), bodies round robin
  await pool.query(
    `INSERT INTO application (id, category, status, registering_body, registration_number)
     SELECT md5('a' || i)::uuid, 1 + (i % 11), 'under_review', ($2::text[])[1 + (i % $3)], i
       FROM generate_series(1, $1) i WHERE i % 7 < 5`,
    [total, bodies, bodies.length],
  );
  await pool.query(
    `INSERT INTO waitlist_case (id, kind, body_code, list_kind)
     SELECT md5('a' || i)::uuid, 'registration', ($2::text[])[1 + (i % $3)],
            (ARRAY['general', 'first-turn', 'out-of-turn'])[1 + (i % 3)]
       FROM generate_series(1, $1) i WHERE i % 7 >= 5`,
    [total, bodies, bodies.length],
  );
  // due dates from 10 days ago to 50 days ahead; a third assigned; CLOSED completed ones first
  await pool.query(
    `INSERT INTO review_task (task_id, process_instance_id, process_definition_key, element_id, business_key,
        case_type, case_id, candidate_groups, assignee, due_at, created_at, completed_at, outcome)
     SELECT gen_random_uuid()::text, gen_random_uuid()::text,
            CASE WHEN i % 7 < 5 THEN 'application-review' ELSE 'waitlist-registration' END,
            'review', i::text,
            CASE WHEN i % 7 < 5 THEN 'application' ELSE 'waitlist-case' END,
            md5('a' || i)::uuid,
            ARRAY[($2::text[])[1 + (i % $3)] || '-reviewers'],
            CASE WHEN i % 3 = 0 THEN 'reviewer-' || (i % 50) END,
            now() - interval '10 days' + (random() * interval '60 days'),
            now() - interval '30 days' + (i * interval '1 second'),
            CASE WHEN i <= $4 THEN now() END,
            CASE WHEN i <= $4 THEN 'grant' END
       FROM generate_series(1, $1) i`,
    [total, bodies, bodies.length, CLOSED],
  );
  await pool.query('VACUUM ANALYZE');
  return bodies;
}

function stats(ms: number[]): { median: number; p99: number; max: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
  return { median: at(0.5), p99: at(0.99), max: s[s.length - 1]! };
}

async function main(): Promise<void> {
  const name = `az_housing_bench_inbox_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const pool = new pg.Pool({ connectionString: withDatabase(ADMIN, name), max: 10 });
  try {
    const client = await pool.connect();
    try {
      await runner({
        dbClient: client,
        dir: migrationsDir,
        direction: 'up',
        migrationsTable: 'pgmigrations',
        count: Infinity,
        log: () => undefined,
      });
    } finally {
      client.release();
    }
    const t0 = Date.now();
    const bodies = await seed(pool);
    say(
      `seeded ${OPEN} open + ${CLOSED} completed tasks over ${bodies.length} groups in ${Date.now() - t0} ms`,
    );
    const group = (b: string) => `${b}-reviewers`;
    const base: InboxQuery = {
      groups: [group(bodies[1]!)],
      me: 'reviewer-3',
      sort: 'due',
      order: 'asc',
      now: new Date(),
      limit: 50,
      offset: 0,
    };
    const cases: [string, InboxQuery][] = [
      ['one body, by due date', base],
      ['one body, by due date desc', { ...base, order: 'desc' }],
      ['one body, by creation desc', { ...base, sort: 'created', order: 'desc' }],
      ['one body, page 20', { ...base, offset: 950 }],
      ['one body, assigned to me', { ...base, assignedToMe: true }],
      ['one body, unassigned', { ...base, unassigned: true }],
      ['one body, overdue', { ...base, overdue: true }],
      ['one body, due within 3 working days', { ...base, dueWithin: 3 }],
      ['one body, category 5', { ...base, category: '5' }],
      ['one body, list first-turn', { ...base, category: 'first-turn' }],
      ['one body, process', { ...base, process: 'waitlist-registration' }],
      ['three bodies, by due date', { ...base, groups: bodies.slice(0, 3).map(group) }],
      ['all bodies (100%), by due date', { ...base, groups: bodies.map(group) }],
    ];
    const results: Record<string, unknown>[] = [];
    for (const [label, q] of cases) {
      for (let i = 0; i < 10; i++) await listInbox(pool as never, q); // warm
      const ms: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        const s = process.hrtime.bigint();
        const r = await listInbox(pool as never, q);
        ms.push(Number(process.hrtime.bigint() - s) / 1e6);
        total = r.total;
      }
      const st = stats(ms);
      results.push({
        query: label,
        matches: total,
        'median ms': st.median.toFixed(1),
        'p99 ms': st.p99.toFixed(1),
        'max ms': st.max.toFixed(1),
      });
    }
    {
      const cal = await loadCalendar(pool as never);
      const ms: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const s = process.hrtime.bigint();
        await deadlineDashboard(pool as never, cal, new Date());
        ms.push(Number(process.hrtime.bigint() - s) / 1e6);
      }
      const st = stats(ms);
      results.push({
        query: 'deadline dashboard (all)',
        matches: OPEN,
        'median ms': st.median.toFixed(1),
        'p99 ms': st.p99.toFixed(1),
        'max ms': st.max.toFixed(1),
      });
    }
    for (const r of results)
      say(
        `${String(r.query).padEnd(40)} matches ${String(r.matches).padStart(6)}  median ${String(r['median ms']).padStart(6)} ms  p99 ${String(r['p99 ms']).padStart(6)} ms  max ${String(r['max ms']).padStart(6)} ms`,
      );
    if (process.env.EXPLAIN) {
      // the statements as listInbox builds them, captured through a logging pool
      const seen: string[] = [];
      const spy = {
        query: (text: string, params?: unknown[]) => {
          if (/review_task/.test(text))
            seen.push(
              `-- params ${JSON.stringify(params)}\nEXPLAIN (ANALYZE, BUFFERS) ${text.replace(/\s+/g, ' ')}`,
            );
          return pool.query(text, params as never);
        },
      };
      for (const [label, q] of cases) {
        seen.length = 0;
        await listInbox(spy as never, q);
        for (const stmt of seen) {
          const [, p, sql] = /^-- params (.*)\n([\s\S]*)$/.exec(stmt)!;
          const plan = await pool.query(sql!, JSON.parse(p!) as unknown[]);
          say(`\n## ${label}\n${sql!.slice(0, 160)}…`);
          say(plan.rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n'));
        }
      }
    }
  } finally {
    await pool.end();
    if (!process.env.KEEP) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    else say(`kept database ${name}`);
    await admin.end();
  }
}

await main();
