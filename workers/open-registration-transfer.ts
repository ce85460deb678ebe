import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, toVariables } from '../src/cases/deadlines.js';
import { requireVariantRule, type TransferDetails } from '../src/cases/transfer.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import {
  applicationWindow,
  conditionsOf,
  deficiencies,
  outsideFamilyFile,
  requiredDocuments,
  type DocumentLine,
} from '../src/domain/transfer.js';
import { defineWorker } from '../src/engine/worker.js';
import { foundOrNull, lazyRegistryClient } from '../src/registry/index.js';

const registry = lazyRegistryClient();

/**
 * Opens a transfer case: what the registries hold is fetched, not asked for (002 §2.3) — the
 * identity of the representative and the members, the death record of the registered person —
 * then the 3-month window from the death (002 §2.1, where the variant has one), and the
 * correctable deficiencies of the documents and the representation statement (002 §2.2, §2.5).
 * A registry outage throws: the job is retried, never read as "not held".
 */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'open-registration-transfer',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    const d = c.details as TransferDetails;
    const filedOn = c.documents_received_on!;
    const rule = await requireVariantRule(pool, d.variant);
    const client = registry();

    const fetched = new Set<string>();
    let eventDate = d.eventDate;
    let eventDateSource: 'registry' | 'application' = 'application';
    if (d.event === 'death' && d.deceasedFin) {
      const civil = foundOrNull(await client.civilStatus(d.deceasedFin));
      if (civil?.death) {
        eventDate = civil.death.date;
        eventDateSource = 'registry';
        fetched.add('death-certificate');
      }
    }
    // The representative is always looked up: the record also gives the reviewer the name and
    // date of birth (issue 15), even when a member without a FIN leaves identity to the documents.
    const representativeLookedUp = !!d.representative.fin;
    const representative = d.representative.fin
      ? foundOrNull(await client.identity(d.representative.fin))
      : null;
    const memberFins = d.family.map((m) => m.fin);
    let allKnown = representative !== null && memberFins.every((f) => !!f);
    for (const fin of memberFins) {
      if (!allKnown || !fin) break;
      if (!(await client.identity(fin)).found) allKnown = false;
    }
    if (allKnown) fetched.add('identity-documents');

    const windowEnds =
      rule.windowPeriod && d.event === 'death'
        ? (await deadlineFromEvent(pool, rule.windowPeriod, eventDate)).dueDate
        : null;
    const window = applicationWindow(filedOn, windowEnds);
    const required = requiredDocuments(
      rule,
      conditionsOf({
        representativeKind: d.representative.kind,
        event: d.event,
        laterMartyrStatus: d.laterMartyrStatus,
      }),
    );
    const lines = c.documents as (DocumentLine & { source?: string })[];
    const missing = deficiencies(
      required,
      lines,
      fetched,
      d.family,
      rule,
      d.representative.kind,
      filedOn,
    );
    const noticeDue = toVariables(
      await deadlineFromEvent(pool, 'transfer-deficiency-notice', filedOn),
    );
    const registryLines = [...fetched]
      .filter((k) => required.some((r) => r.kind === k) && !lines.some((l) => l.kind === k))
      .map((kind) => ({ kind, accepted: true, source: 'registry', receivedOn: filedOn }));
    // 002 §1.2.2: the persons of the application against the family the waitlist file lists
    const file = await pool.query<{
      fin: string | null;
      relation: string;
      birth_date: string | null;
    }>(
      `SELECT fin, relation, to_char(birth_date, 'YYYY-MM-DD') AS birth_date FROM waitlist_family_member WHERE entry_id = $1`,
      [c.entry_id],
    );
    const outside = outsideFamilyFile(
      d.representative,
      d.family,
      file.rows.map((r) => ({ fin: r.fin, relation: r.relation, birthDate: r.birth_date })),
    );
    const checks = {
      window: { ...window, eventDate, eventDateSource, legalSource: rule.legalSource },
      family: { citation: '002 §1.2.2', onFile: file.rowCount ?? 0, outside },
      fetched: [...fetched],
      required: required.map((r) => r.kind),
    };
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_case SET process_instance_key = $2, status = 'checked',
                documents = documents || $3::jsonb,
                details = details || jsonb_build_object('checks', $4::jsonb, 'deficiencies', $5::jsonb,
                          'deadlines', jsonb_build_object('deficiencyNoticeDue', $6::text)),
                applicant_name = $7::jsonb, applicant_birth_date = $8::date,
                applicant_looked_up_at = CASE WHEN $9::boolean THEN now() END
          WHERE id = $1 AND status = 'filed'`,
        [
          c.id,
          job.processInstanceKey,
          JSON.stringify(registryLines),
          JSON.stringify(checks),
          JSON.stringify(missing),
          noticeDue.dueDate,
          representative ? JSON.stringify(representative.name) : null,
          representative?.birthDate ?? null,
          representativeLookedUp,
        ],
      );
      if (res.rowCount === 1)
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId: c.id,
          actor: 'system:open-registration-transfer',
          action: 'transfer-checked',
          legalGround: `${window.citation}; 002 §1.2.2, §2.3, §2.5`,
          after: {
            inTime: window.inTime,
            windowEndsOn: window.endsOn,
            eventDateSource,
            fetched: [...fetched],
            deficiencies: missing.map((m) => m.kind),
            outsideFamilyFile: outside.map((o) => o.field),
          },
        });
    });
    return {
      reviewBody: c.body_code,
      late: !window.inTime,
      deficient: missing.length > 0,
      windowEndsOn: window.endsOn,
      deathDate: eventDate,
    };
  },
});
