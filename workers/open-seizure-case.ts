import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from '../src/cases/deadlines.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { defineWorker } from '../src/engine/worker.js';
import { foundOrNull, lazyRegistryClient } from '../src/registry/index.js';

const registry = lazyRegistryClient();

/**
 * Opens the seizure: the decision is due within 30 working days of the ground being established
 * (55.2). The death of a registered member of a martyr's family — or of a registered person later
 * given martyr status — does not remove the slot at once: it is held for 3 months for a transfer
 * application (002 §2.1, 55.1.7 "except where this Code provides otherwise").
 * The registered person's name and date of birth are fetched from the identity registry for the
 * reviewer (002 §2.3: fetched, not asked for); an outage throws and the job is retried, a person
 * the registry does not know opens the case without a name.
 */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'open-seizure-case',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    if (!c.established_on || !c.entry_id)
      throw new Error('a seizure case needs its slot and the date its ground was established');
    const deadline = toVariables(
      await deadlineFromEvent(pool, 'seizure-decision', c.established_on),
    );
    const entry = await pool.query<{ grounds_of_need: string[]; registered_fin: string }>(
      `SELECT grounds_of_need, registered_fin FROM waitlist_entry WHERE id = $1`,
      [c.entry_id],
    );
    // Registry first, outside any transaction: a slow registry must not hold a connection.
    const fin = c.applicant_fin ?? entry.rows[0]?.registered_fin ?? null;
    const card = fin ? foundOrNull(await registry().identity(fin)) : null;
    const facts =
      (c.details.facts as { martyrStatus?: boolean; deathDate?: string } | undefined) ?? {};
    const martyrFamily =
      (entry.rows[0]?.grounds_of_need ?? []).includes('martyr-family') ||
      facts.martyrStatus === true;
    const martyrHold = c.ground === 'remove-death' && martyrFamily;
    const deathDate = facts.deathDate ?? c.established_on;
    const hold = martyrHold
      ? toVariables(await deadlineFromEvent(pool, 'transfer-application-window', deathDate))
      : null;
    const res = await pool.query(
      `UPDATE waitlist_case SET decision_due_at = $2, process_instance_key = $3, status = 'under_review',
              applicant_name = $4, applicant_birth_date = $5, applicant_looked_up_at = now()
        WHERE id = $1 AND decision_due_at IS NULL`,
      [
        c.id,
        deadline.dueAt,
        job.processInstanceKey,
        card ? JSON.stringify(card.name) : null,
        card?.birthDate ?? null,
      ],
    );
    if (res.rowCount === 1) {
      await recordAudit(pool, {
        caseType: 'waitlist-case',
        caseId: c.id,
        actor: 'system:open-seizure-case',
        action: 'decision-deadline-set',
        legalGround: deadline.citation,
        after: { dueDate: deadline.dueDate, martyrHold },
      });
    }
    return {
      reviewDueAt: deadline.dueAt,
      reviewFollowUpAt: await reviewFollowUpAt(pool, c.established_on, deadline),
      reviewDueDate: deadline.dueDate,
      reviewBody: c.body_code,
      reviewDeadlineCitation: deadline.citation,
      martyrHold,
      deathDate,
      heldUntil: hold?.dueDate ?? null,
      heldUntilAt: hold?.dueAt ?? null,
    };
  },
});
