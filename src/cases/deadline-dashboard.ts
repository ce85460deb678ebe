import type { Pool } from '../db/pool.js';
import {
  civilDateInBaku,
  deadlineEnd,
  type CivilDate,
  type WorkingDayCalendar,
} from '../domain/calendar.js';
import { OPEN_TASK } from './review-task.js';

/**
 * The operators' deadlines dashboard over the open review tasks (table review_task, the task
 * projection the engine writes in its own transaction; open = not completed and not decided): per process,
 * how many are overdue, due today and due within the next working days; per body (candidate group
 * `<body>-reviewers`), the workload. Days are Baku days and "working days" follow the stored
 * calendar (§8), so a task due after a weekend or a holiday counts as near when few working days
 * are left, however many calendar days that is.
 *
 * The buckets do not overlap: overdue (due before `at`, or already escalated by the engine's
 * deadline timer), due today (the rest due by the end of today), due soon (due after today, by the
 * end of the Nth working day after today).
 */

export const DUE_SOON_WORKING_DAYS = 3;

const BODY_GROUP_SUFFIX = '-reviewers';

export interface ProcessDeadlines {
  bpmnProcessId: string;
  open: number;
  overdue: number;
  dueToday: number;
  dueSoon: number;
}

export interface BodyWorkload {
  body: string;
  open: number;
  assigned: number;
  unassigned: number;
  overdue: number;
}

export interface DeadlineDashboard {
  at: string;
  /** today in Baku */
  today: CivilDate;
  /** the last day counted as "due soon": the Nth working day after today */
  dueSoonUntil: CivilDate;
  dueSoonWorkingDays: number;
  processes: ProcessDeadlines[];
  bodies: BodyWorkload[];
}

/** The body's candidate group, the inverse of bodyOfGroup. */
export function groupOfBody(body: string): string {
  return `${body}${BODY_GROUP_SUFFIX}`;
}

/**
 * The dashboard at instant `at`. `bodies` limits it to the tasks of those bodies (supervisors);
 * undefined means every task. Throws CalendarDataMissingError when the calendar lacks the days.
 */
export async function deadlineDashboard(
  pool: Pool,
  calendar: WorkingDayCalendar,
  at: Date,
  bodies?: string[],
): Promise<DeadlineDashboard> {
  const today = civilDateInBaku(at);
  const dueSoonUntil = calendar.addWorkingDays(today, DUE_SOON_WORKING_DAYS);
  const groups = bodies?.map(groupOfBody) ?? null;
  const params = [at, deadlineEnd(today), deadlineEnd(dueSoonUntil), groups];
  const overdue = '(t.due_at < $1 OR t.overdue_escalated_at IS NOT NULL)';
  // open tasks, of the given groups when `groupsParam` is not null
  const open = (groupsParam: string) =>
    `${OPEN_TASK('t.')} AND (${groupsParam}::text[] IS NULL OR t.candidate_groups && ${groupsParam}::text[])`;

  const processes = await pool.query<ProcessDeadlines>(
    `SELECT t.process_definition_key AS "bpmnProcessId",
            count(*)::int AS open,
            count(*) FILTER (WHERE ${overdue})::int AS overdue,
            count(*) FILTER (WHERE NOT ${overdue} AND t.due_at <= $2)::int AS "dueToday",
            count(*) FILTER (WHERE NOT ${overdue} AND t.due_at > $2 AND t.due_at <= $3)::int AS "dueSoon"
       FROM review_task t
      WHERE ${open('$4')}
      GROUP BY t.process_definition_key
      ORDER BY t.process_definition_key`,
    params,
  );
  const workload = await pool.query<BodyWorkload>(
    `SELECT left(g.grp, -${BODY_GROUP_SUFFIX.length}) AS body,
            count(*)::int AS open,
            count(*) FILTER (WHERE t.assignee IS NOT NULL)::int AS assigned,
            count(*) FILTER (WHERE t.assignee IS NULL)::int AS unassigned,
            count(*) FILTER (WHERE ${overdue})::int AS overdue
       FROM review_task t CROSS JOIN LATERAL unnest(t.candidate_groups) AS g(grp)
      WHERE ${open('$2')} AND g.grp LIKE '%${BODY_GROUP_SUFFIX}'
        AND ($2::text[] IS NULL OR g.grp = ANY($2::text[]))
      GROUP BY g.grp
      ORDER BY g.grp`,
    [at, groups],
  );
  return {
    at: at.toISOString(),
    today,
    dueSoonUntil,
    dueSoonWorkingDays: DUE_SOON_WORKING_DAYS,
    processes: processes.rows,
    bodies: workload.rows,
  };
}
