import type { DiscrepancyItem } from '../contracts/reviewer.js';
import type { Pool } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';
import { enqueueTaskCompletion } from '../engine/messages.js';
import { EngineTaskNotFound, type EngineTasks } from '../engine/tasks.js';
import { civilDateInBaku } from '../domain/calendar.js';
import { recordAudit } from './audit.js';
import { periodLength } from './deadlines.js';
import { CaseError } from './errors.js';
import { engineTaskCall, getReviewTask, openTaskInGroups } from './review-task.js';
import { outsideFamilyOf, representativePlacesOnList } from './transfer.js';
import { checkRegistrationDecision } from './waitlist-registration-rules.js';

export const DECISION_OUTCOMES = [
  'grant',
  'refuse',
  'discrepancy',
  'extend',
  'register',
  'remove',
  'retain',
  'transfer',
] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

export type { DiscrepancyItem };

/**
 * 003 §5.5 refusal on a file whose discrepancy was not removed in time; cites 000 §2.4 for the
 * lapsed deadline (legal_ground row of migration 1732240000110).
 */
export const LAPSED_DISCREPANCY_REFUSAL = 'refuse-category-not-established-deadline-lapsed';
/** 003 §5.5 refusal on a file reviewed in time. */
const CATEGORY_REFUSAL = 'refuse-not-in-category';

export interface DecisionInput {
  outcome: DecisionOutcome;
  legalGround: string;
  reason: string;
  items?: DiscrepancyItem[];
}

export interface Reviewer {
  id: string;
  groups: string[];
}

/**
 * Claims or releases a task for the reviewer through the engine (the engine's task is the source
 * of truth; its projection plugin writes the new assignee into review_task before the engine
 * answers). Another reviewer's claim is not taken over: the engine refuses it (409 here).
 * No database lock is held while the engine is called: its plugin writes the same row.
 */
export async function claimTask(
  pool: Pool,
  tasks: EngineTasks,
  taskId: string,
  reviewer: Reviewer,
  claim: boolean,
): Promise<void> {
  const task = await openTaskInGroups(pool, taskId, reviewer.groups);
  await engineTaskCall(async () => {
    if (claim) {
      await tasks.claim(taskId, reviewer.id);
      return;
    }
    const current = await tasks.get(taskId);
    if (!current) throw new EngineTaskNotFound(taskId);
    if (current.assignee !== reviewer.id)
      throw new CaseError('conflict', 'the task is not claimed by you', [
        { field: 'assignee', message: 'not yours' },
      ]);
    await tasks.unclaim(taskId);
  });
  await recordAudit(pool, {
    caseType: task.caseType,
    caseId: task.caseId,
    actor: reviewer.id,
    action: claim ? 'task-claimed' : 'task-released',
    after: { taskId },
  });
}

/**
 * Records a reasoned decision (domain brief §8): it must name a legal ground of the table that
 * fits the outcome and carry the reviewer's text. The decision is committed with the audit
 * entry and the task's completion command (outbox), so neither is lost and neither happens twice.
 */
export async function decide(
  pool: Pool,
  taskId: string,
  reviewer: Reviewer,
  input: DecisionInput,
): Promise<{ decisionId: string }> {
  const maxRounds = await periodLength(pool, 'discrepancy-rounds');
  return inTransaction(pool, async (tx) => {
    // Locks the projection row against a second decision; the engine is not called in here.
    const task = await getReviewTask(tx, taskId, true);
    if (!task || !task.candidateGroups.some((g) => reviewer.groups.includes(g))) {
      throw new CaseError('not-found', `no review task ${taskId}`, [
        { field: 'taskId', message: 'no such task in your groups' },
      ]);
    }
    if (task.cancelled || task.outcome === 'withdrawn')
      throw new CaseError('conflict', 'the task was cancelled', [
        { field: 'taskId', message: 'cancelled' },
      ]);
    // decided here (outcome) or completed in the engine (completed_at)
    if (task.outcome || task.completedAt)
      throw new CaseError('conflict', 'the task is already decided', [
        { field: 'taskId', message: 'already decided' },
      ]);
    if (task.assignee && task.assignee !== reviewer.id) {
      throw new CaseError('conflict', 'the task is claimed by another reviewer', [
        { field: 'assignee', message: 'claimed by another reviewer' },
      ]);
    }
    const ground = await tx.query<{
      decision: string;
      citation: string;
      process: string;
      withdrawn: boolean;
    }>(
      `SELECT decision, citation, process, withdrawn_at IS NOT NULL AS withdrawn FROM legal_ground WHERE code = $1`,
      [input.legalGround],
    );
    const g = ground.rows[0];
    if (!g)
      throw new CaseError('invalid', `unknown legal ground ${input.legalGround}`, [
        { field: 'legalGround', message: 'not in the table of legal grounds' },
      ]);
    // A withdrawn ground (issue #11: it cited another procedure) stays for the decisions that
    // already cite it, but no new decision may rest on it.
    if (g.withdrawn)
      throw new CaseError('invalid', `ground ${input.legalGround} is withdrawn`, [
        { field: 'legalGround', message: 'withdrawn: not a ground of this procedure' },
      ]);
    if (task.caseType === 'application' && input.outcome === 'refuse') {
      // 003 §5.5 with 000 §2.4: the lapsed-deadline ground is true only when the case's last
      // discrepancy round lapsed, and then a refusal for the category cites it (the notice shows
      // 000 §2.4 for the lapsed deadline).
      const last = await tx.query<{ lapsed: boolean }>(
        `SELECT lapsed_at IS NOT NULL AS lapsed FROM discrepancy_round
          WHERE application_id = $1 ORDER BY round DESC LIMIT 1`,
        [task.caseId],
      );
      const lapsed = last.rows[0]?.lapsed ?? false;
      if (input.legalGround === LAPSED_DISCREPANCY_REFUSAL && !lapsed)
        throw new CaseError(
          'invalid',
          'no discrepancy deadline of this application lapsed (000 §2.4)',
          [{ field: 'legalGround', message: 'only after a lapsed discrepancy deadline' }],
        );
      if (input.legalGround === CATEGORY_REFUSAL && lapsed)
        throw new CaseError(
          'invalid',
          `the discrepancy deadline lapsed: refuse on ${LAPSED_DISCREPANCY_REFUSAL} (003 §5.5; 000 §2.4)`,
          [{ field: 'legalGround', message: `use ${LAPSED_DISCREPANCY_REFUSAL}` }],
        );
    }
    if (g.process !== task.bpmnProcessId) {
      throw new CaseError(
        'invalid',
        `ground ${input.legalGround} belongs to ${g.process}, not ${task.bpmnProcessId}`,
        [{ field: 'legalGround', message: `not a ground of ${task.bpmnProcessId}` }],
      );
    }
    if (g.decision !== input.outcome) {
      throw new CaseError(
        'invalid',
        `ground ${input.legalGround} is for a ${g.decision} decision, not ${input.outcome}`,
        [{ field: 'legalGround', message: `does not fit outcome ${input.outcome}` }],
      );
    }
    // 002 §1.2.2: the registration is kept only for the family members registered with the
    // deceased; a person outside the file's family is refused with reasons, never granted.
    if (task.bpmnProcessId === 'registration-transfer' && input.outcome === 'transfer') {
      const outside = await outsideFamilyOf(tx, task.caseId);
      if (outside.length)
        throw new CaseError(
          'conflict',
          'not registered as the deceased’s family members at the registration (002 §1.2.2): refuse on refuse-transfer-not-family-member',
          outside.map((o) => ({
            field: 'outcome',
            message: `${o.field} (${o.relation}) is not on the waitlist file's family (${o.point})`,
          })),
        );
      // 004 §10: one registered member per family; a representative already on this list keeps
      // their own place and is refused with reasons (the grant's step would otherwise fail)
      if ((await representativePlacesOnList(tx, task.caseId)).length)
        throw new CaseError(
          'conflict',
          'the representative already holds a place on this list; only one member of a family is registered (004 §10): refuse on refuse-transfer-representative-registered',
          [
            {
              field: 'outcome',
              message: 'the representative already holds a place on this list (004 §10)',
            },
          ],
        );
    }
    if (task.bpmnProcessId === 'waitlist-registration') {
      // Art. 52 / 53.1.3: the 5-year bar is measured at the decision's date
      await checkRegistrationDecision(tx, task.caseId, input, civilDateInBaku(new Date()));
    }
    if (input.outcome === 'discrepancy' && !(input.items?.length ?? 0)) {
      throw new CaseError(
        'invalid',
        'a discrepancy names what is wrong, per field or document (000 §2.4)',
        [{ field: 'items', message: 'at least one item is required' }],
      );
    }
    if (input.outcome === 'extend') {
      const earlier = await tx.query(
        `SELECT 1 FROM decision WHERE case_id = $1 AND outcome = 'extend'`,
        [task.caseId],
      );
      if (earlier.rowCount)
        throw new CaseError('conflict', 'the review was already extended once (003 §5.5)', [
          { field: 'outcome', message: 'already extended' },
        ]);
    }
    if (input.outcome === 'discrepancy') {
      const rounds = await tx.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM discrepancy_round WHERE application_id = $1`,
        [task.caseId],
      );
      if (rounds.rows[0]!.n >= maxRounds) {
        throw new CaseError(
          'conflict',
          `${maxRounds} discrepancy rounds were used; grant or refuse`,
          [{ field: 'outcome', message: 'no discrepancy rounds left' }],
        );
      }
    }
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO decision (case_type, case_id, application_id, task_id, outcome, legal_ground, reason, details, decided_by)
       VALUES ($8, $9, $1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        task.applicationId,
        taskId,
        input.outcome,
        input.legalGround,
        input.reason,
        JSON.stringify({ items: input.items ?? [] }),
        reviewer.id,
        task.caseType,
        task.caseId,
      ],
    );
    // The app's column: the task leaves the inbox now; the engine sets completed_at when the
    // outbox completes the task.
    await tx.query(`UPDATE review_task SET outcome = $2 WHERE task_id = $1`, [
      taskId,
      input.outcome,
    ]);
    await recordAudit(tx, {
      caseType: task.caseType,
      caseId: task.caseId,
      actor: reviewer.id,
      action: `decision-${input.outcome}`,
      legalGround: g.citation,
      reason: input.reason,
      after: { outcome: input.outcome, legalGround: input.legalGround, items: input.items ?? [] },
    });
    await enqueueTaskCompletion(tx, {
      taskId,
      commandId: `complete:${taskId}`,
      variables: {
        decision: {
          outcome: input.outcome,
          legalGround: input.legalGround,
          reason: input.reason,
          items: input.items ?? [],
          decidedBy: reviewer.id,
        },
      },
    });
    return { decisionId: rows[0]!.id };
  });
}
