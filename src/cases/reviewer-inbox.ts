import type { InboxCounts, ReviewTask as InboxTask } from '../contracts/reviewer.js';
import type { Pool } from '../db/pool.js';
import { findAccount } from '../auth/accounts.js';
import {
  CalendarDataMissingError,
  civilDateInBaku,
  deadlineEnd,
  type WorkingDayCalendar,
} from '../domain/calendar.js';
import { recordAudit } from './audit.js';
import { loadCalendar } from './calendar-repository.js';
import { CaseError } from './errors.js';
import { EngineTaskNotFound, type EngineTasks } from '../engine/tasks.js';
import {
  engineTaskCall,
  openTaskInGroups,
  reviewTaskColumns,
  type ReviewTaskRow,
} from './review-task.js';

/**
 * The reviewers' workbench inbox: open review tasks of the caller's bodies (candidate groups
 * `<body>-reviewers`), with the case's body and category, the deadline in working days
 * (domain brief §8: periods in working days, counted with the calendar_day table) and counts.
 *
 * It reads the task projection (review_task), which the engine writes in its own transaction,
 * never the engine's task query (too slow for the inbox: ~150 ms p99 at 100,000 open tasks). The
 * counts and the page's order read the inbox projection of it (review_inbox, one row per candidate
 * group and open task, kept by triggers in review_task's transaction; migration 1732240000190)
 * by btree ranges per group; review_task and the case tables are joined only for the page's rows.
 */

/** Waitlist lists (004 §9, Housing Code 56.2); an application's category is 1–11 (000 §2.1.5). */
export const LIST_KINDS = ['general', 'first-turn', 'out-of-turn'] as const;

/** An inbox row and the inbox counts are the API's shapes (src/contracts). */
export type { InboxCounts, InboxTask };

export interface InboxQuery {
  groups: string[];
  me: string;
  process?: string;
  category?: string;
  overdue?: boolean;
  dueBefore?: Date;
  /** not yet overdue and due by the end of the Nth working day from today */
  dueWithin?: number;
  assignedToMe?: boolean;
  unassigned?: boolean;
  sort: 'due' | 'created';
  order: 'asc' | 'desc';
  now: Date;
  limit: number;
  offset: number;
}

const JOINS = `LEFT JOIN application a ON a.id = t.application_id
  LEFT JOIN waitlist_case wc ON t.case_type = 'waitlist-case' AND wc.id = t.case_id
  LEFT JOIN waitlist_entry we ON we.id = wc.entry_id
  LEFT JOIN waitlist wl ON wl.id = we.waitlist_id`;
const FROM = `FROM review_task t ${JOINS}`;
const BODY = `COALESCE(a.registering_body, wc.body_code)`;
const CATEGORY = `COALESCE(a.category::text, wc.list_kind, wl.kind)`;
// The applicant's name from the identity check (migration 1732240000140) or, for a seizure or
// transfer case, from the identity registry when the case opened (1732240000181), the failed checks (an
// application's automated checks, a waitlist case's recorded checks) and the assignee's name:
// read for the page's rows only, by primary key.
const FAILED_CHECKS = `CASE WHEN a.id IS NOT NULL
    THEN (SELECT count(*) FROM automated_check ac WHERE ac.application_id = a.id AND NOT ac.passed)
    WHEN jsonb_typeof(wc.details->'checks') = 'object'
    THEN (SELECT count(*) FROM jsonb_each(wc.details->'checks') x
           WHERE jsonb_typeof(x.value) = 'object' AND x.value->>'passed' = 'false')
    ELSE 0 END::int`;
const COLUMNS = `${reviewTaskColumns('t.')}, ${BODY} AS body, ${CATEGORY} AS category,
  a.registration_number AS "registrationNumber", wc.kind AS "caseKind",
  COALESCE(a.applicant_name, wc.applicant_name) AS "applicantName",
  (wc.applicant_looked_up_at IS NOT NULL AND wc.applicant_name IS NULL) AS "applicantNotInRegistry",
  ${FAILED_CHECKS} AS "failedChecks",
  (SELECT acc.display_name FROM account acc WHERE acc.id = t.assignee) AS "assigneeName"`;

/** Overdue (in the inbox projection): past due now, or already escalated by the engine's deadline timer. */
const OVERDUE = (now: string) => `(p.due_at < ${now} OR p.escalated)`;

/** The end (Baku) of the Nth working day after today; undefined when the calendar lacks the year. */
export function endOfWorkingDays(cal: WorkingDayCalendar, now: Date, n: number): Date | undefined {
  try {
    return deadlineEnd(cal.addWorkingDays(civilDateInBaku(now), n));
  } catch (err) {
    if (err instanceof CalendarDataMissingError) return undefined;
    throw err;
  }
}

/** Working days from today to the due date (0: due today; negative: overdue). */
export function remainingWorkingDays(
  cal: WorkingDayCalendar,
  now: Date,
  dueAt: string | Date | null,
): number | null {
  if (!dueAt) return null;
  try {
    return cal.workingDaysBetween(civilDateInBaku(now), civilDateInBaku(new Date(dueAt)));
  } catch (err) {
    if (err instanceof CalendarDataMissingError) return null;
    throw err;
  }
}

export async function listInbox(
  pool: Pool,
  q: InboxQuery,
): Promise<{ total: number; tasks: InboxTask[]; counts: InboxCounts }> {
  const cal = await loadCalendar(pool);
  const in3 = endOfWorkingDays(cal, q.now, 3) ?? null;
  const dueWithinEnd =
    q.dueWithin === undefined ? undefined : endOfWorkingDays(cal, q.now, q.dueWithin);
  if (q.dueWithin !== undefined && !dueWithinEnd)
    throw new CaseError('invalid', 'the working-day calendar has no data for that period', [
      { field: 'dueWithin', message: 'beyond the working-day calendar' },
    ]);
  const groups = [...new Set(q.groups)];
  if (groups.length === 0)
    return {
      total: 0,
      tasks: [],
      counts: { total: 0, overdue: 0, dueWithin3: 0, unassigned: 0, assignedToMe: 0 },
    };
  // The inbox projection (migration 1732240000190) holds one row per (group, open task). A
  // caller of several groups sees a task of several of them once: in the first of its groups
  // that the caller has (tasks of one group, all of today's models, skip the lookup).
  const once = (groupsParam: string) =>
    `(NOT p.shared OR p.grp = (SELECT min(g) FROM unnest(p.candidate_groups) g WHERE g = ANY(${groupsParam}::text[])))`;
  /** The filters as one condition, binding their values after `params`. */
  const filtersOf = (params: unknown[]): string => {
    const bind = (v: unknown) => `$${params.push(v)}`;
    const f: string[] = [];
    if (q.process) f.push(`p.process_definition_key = ${bind(q.process)}::text`);
    if (q.category) f.push(`p.case_category = ${bind(q.category)}::text`);
    if (q.overdue) f.push(OVERDUE(`${bind(q.now)}::timestamptz`));
    if (q.dueBefore) f.push(`p.due_at < ${bind(q.dueBefore)}::timestamptz`);
    if (dueWithinEnd)
      f.push(
        `NOT ${OVERDUE(`${bind(q.now)}::timestamptz`)}`,
        `p.due_at <= ${bind(dueWithinEnd)}::timestamptz`,
      );
    if (q.assignedToMe) f.push(`p.assignee = ${bind(q.me)}::text`);
    if (q.unassigned) f.push('p.assignee IS NULL');
    return f.length ? f.join(' AND ') : 'true';
  };

  // One pass over the caller's groups in the projection's due-date index alone (index-only):
  // the counts, which ignore the other filters, and the number of tasks the filters match.
  const one = groups.length === 1;
  const countParams: unknown[] = [one ? groups[0] : groups, q.now, q.me, in3];
  const countScope = one ? 'p.grp = $1::text' : `p.grp = ANY($1::text[]) AND ${once('$1')}`;
  const overdue = OVERDUE('$2::timestamptz');
  const counts = pool.query<InboxCounts & { matching: number }>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE ${overdue})::int AS overdue,
            count(*) FILTER (WHERE NOT ${overdue} AND p.due_at <= $4::timestamptz)::int AS "dueWithin3",
            count(*) FILTER (WHERE p.assignee IS NULL)::int AS unassigned,
            count(*) FILTER (WHERE p.assignee = $3::text)::int AS "assignedToMe",
            count(*) FILTER (WHERE ${filtersOf(countParams)})::int AS matching
       FROM review_inbox p WHERE ${countScope}`,
    countParams,
  );
  const dir = q.order === 'desc' ? 'DESC' : 'ASC';
  // ties broken in the same direction, so one index serves both directions (a task without a due
  // date counts as due last: last ascending, first descending)
  const order = (a: string) =>
    q.sort === 'created'
      ? `${a}created_at ${dir}, ${a}task_id ${dir}`
      : `${a}due_at ${dir}, ${a}created_at ${dir}, ${a}task_id ${dir}`;
  // The page: per group an ordered range of its index, merged (no OFFSET over the whole scope:
  // at most offset + limit rows of each group are read), then the case tables for its rows only.
  const pageParams: unknown[] = one ? [] : [groups];
  const upTo = q.offset + q.limit;
  const branches = groups.map(
    (g) => `(SELECT p.task_id, p.due_at, p.created_at FROM review_inbox p
       WHERE p.grp = $${pageParams.push(g)}::text ${one ? '' : `AND ${once('$1')}`}
         AND ${filtersOf(pageParams)}
       ORDER BY ${order('p.')} LIMIT ${upTo})`,
  );
  const page = pool.query<Omit<InboxTask, 'remainingWorkingDays'>>(
    `WITH page AS (
       SELECT p.task_id, p.due_at, p.created_at FROM (${branches.join(' UNION ALL ')}) p
        ORDER BY ${order('p.')} LIMIT ${q.limit} OFFSET ${q.offset})
     SELECT ${COLUMNS} FROM page JOIN review_task t ON t.task_id = page.task_id ${JOINS}
      ORDER BY ${order('page.')}`,
    pageParams,
  );
  const [c, { rows }] = await Promise.all([counts, page]);
  const { matching, ...inboxCounts } = c.rows[0]!;
  return {
    total: matching,
    counts: inboxCounts,
    tasks: rows.map((r) => ({
      ...r,
      remainingWorkingDays: remainingWorkingDays(cal, q.now, r.dueAt),
    })),
  };
}

/** One task with its body and category (any state), for the case view. */
export async function getInboxTask(
  pool: Pool,
  taskId: string,
  now: Date,
): Promise<InboxTask | undefined> {
  const { rows } = await pool.query<Omit<InboxTask, 'remainingWorkingDays'>>(
    `SELECT ${COLUMNS} ${FROM} WHERE t.task_id = $1`,
    [taskId],
  );
  const row = rows[0];
  if (!row) return undefined;
  const cal = await loadCalendar(pool);
  return { ...row, remainingWorkingDays: remainingWorkingDays(cal, now, row.dueAt) };
}

/** The bodies whose reviewers a task belongs to (candidate groups `<body>-reviewers`). */
export function bodiesOfTask(task: Pick<ReviewTaskRow, 'candidateGroups'>): string[] {
  return task.candidateGroups
    .filter((g) => g.endsWith('-reviewers'))
    .map((g) => g.slice(0, -'-reviewers'.length));
}

/**
 * A supervisor hands an open task to another reviewer of the task's body (or takes it back
 * from one) through the engine; the change is audited with who held it before (the engine's
 * assignee, read just before).
 */
export async function reassignTask(
  pool: Pool,
  tasks: EngineTasks,
  taskId: string,
  supervisor: { id: string; groups: string[] },
  assignee: string,
): Promise<{ taskId: string; assignee: string; previous: string | null }> {
  const account = await findAccount(pool, assignee);
  const task = await openTaskInGroups(pool, taskId, supervisor.groups);
  const bodies = bodiesOfTask(task);
  if (
    !account ||
    !account.active ||
    !account.roles.some((r) => r === 'reviewer' || r === 'supervisor') ||
    !account.bodies.some((b) => bodies.includes(b))
  ) {
    throw new CaseError('invalid', `${assignee} does not review tasks of ${bodies.join(', ')}`, [
      { field: 'assignee', message: 'not an active reviewer of the task’s body' },
    ]);
  }
  const previous = await engineTaskCall(async () => {
    const current = await tasks.get(taskId);
    if (!current) throw new EngineTaskNotFound(taskId);
    await tasks.setAssignee(taskId, assignee);
    return current.assignee;
  });
  await recordAudit(pool, {
    caseType: task.caseType,
    caseId: task.caseId,
    actor: supervisor.id,
    action: 'task-reassigned',
    before: { taskId, assignee: previous },
    after: { taskId, assignee },
  });
  return { taskId, assignee, previous };
}
