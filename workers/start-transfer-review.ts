import { recordAudit } from '../src/cases/audit.js';
import { deadlineFromEvent, reviewFollowUpAt, toVariables } from '../src/cases/deadlines.js';
import { requireVariantRule, type TransferDetails } from '../src/cases/transfer.js';
import { loadWaitlistCase } from '../src/cases/waitlist-decision.js';
import { inTransaction } from '../src/db/pool.js';
import { housingNeed, type Dwelling } from '../src/domain/housing-need.js';
import {
  conditionsOf,
  deficiencies,
  requiredDocuments,
  type DocumentLine,
} from '../src/domain/transfer.js';
import { defineWorker } from '../src/engine/worker.js';
import { foundOrNull, lazyRegistryClient } from '../src/registry/index.js';

const registry = lazyRegistryClient();

/**
 * The reviewer decides within 30 working days of the documents (002 §2.6): of the filing, or of
 * the day the deficiencies were fixed. For the reviewer it checks 3.1.2 — whether the housing
 * the family holds after the death meets the body's registration norm (49.5), summing the
 * dwellings of the slot's file and those the property registry shows for each member (50.2) —
 * and lists any deficiency still open (3.1.1). The decision stays the reviewer's.
 */
export default defineWorker<{ caseId: string }, Record<string, unknown>>({
  taskType: 'start-transfer-review',
  fetchVariables: ['caseId'],
  async handle(job, { pool }) {
    const c = await loadWaitlistCase(pool, job.variables.caseId);
    const d = c.details as TransferDetails & { documentsCompleteOn?: string };
    const documentsOn = d.documentsCompleteOn ?? c.documents_received_on!;
    const deadline = toVariables(await deadlineFromEvent(pool, 'transfer-decision', documentsOn));
    const body = await pool.query<{ registration_norm_m2: string | null }>(
      `SELECT registration_norm_m2 FROM registering_body WHERE code = $1`,
      [c.body_code],
    );
    const norm = Number(body.rows[0]?.registration_norm_m2 ?? NaN);
    if (!(norm > 0)) throw new Error(`body ${c.body_code} has no registration norm`);
    let dwellings: (Dwelling & { address: string })[] = d.dwellings ?? [];
    if (!d.dwellings) {
      const onFile = await pool.query<{ address: string; area_m2: string; share: string }>(
        `SELECT address, area_m2, share FROM waitlist_dwelling WHERE entry_id = $1`,
        [c.entry_id],
      );
      dwellings = onFile.rows.map((r) => ({
        address: r.address,
        areaM2: Number(r.area_m2),
        share: Number(r.share),
      }));
    }
    const client = registry();
    const fins = [d.representative.fin, ...d.family.map((m) => m.fin)].filter(
      (f): f is string => !!f,
    );
    for (const fin of fins) {
      const held = foundOrNull(await client.property(fin));
      for (const dw of held?.dwellings ?? [])
        if (!dwellings.some((x) => x.address === dw.address)) dwellings.push(dw);
    }
    const familySize =
      (d.representative.kind === 'family-member' ? 1 : 0) + Math.max(d.family.length, 0);
    const need = housingNeed(dwellings, Math.max(familySize, 1), norm);
    const rule = await requireVariantRule(pool, d.variant);
    const open = deficiencies(
      requiredDocuments(
        rule,
        conditionsOf({
          representativeKind: d.representative.kind,
          event: d.event,
          laterMartyrStatus: d.laterMartyrStatus,
        }),
      ),
      c.documents as DocumentLine[],
      new Set<string>(),
      d.family,
      rule,
      d.representative.kind,
      documentsOn,
    ).filter((x) => !(c.documents as DocumentLine[]).some((l) => l.kind === x.kind && l.accepted));
    const review = {
      documentsOn,
      housingNeed: { ...need, citation: '002 §3.1.2; Mənzil Məcəlləsi 49.5, 50.2' },
      openDeficiencies: open,
    };
    await inTransaction(pool, async (tx) => {
      const res = await tx.query(
        `UPDATE waitlist_case SET decision_due_at = $2, status = 'under_review',
                details = jsonb_set(details, '{checks,review}', $3::jsonb)
                          || jsonb_build_object('deadlines', coalesce(details->'deadlines', '{}'::jsonb) || jsonb_build_object('decisionDue', $4::text))
          WHERE id = $1 AND decision_due_at IS NULL`,
        [c.id, deadline.dueAt, JSON.stringify(review), deadline.dueDate],
      );
      if (res.rowCount === 1)
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId: c.id,
          actor: 'system:start-transfer-review',
          action: 'decision-deadline-set',
          legalGround: deadline.citation,
          after: {
            dueDate: deadline.dueDate,
            documentsOn,
            needsHousing: need.needsHousing,
            areaPerPersonM2: need.areaPerPersonM2,
            normM2: norm,
            openDeficiencies: open.map((o) => o.kind),
          },
        });
    });
    return {
      reviewDueAt: deadline.dueAt,
      reviewFollowUpAt: await reviewFollowUpAt(pool, documentsOn, deadline),
      reviewDueDate: deadline.dueDate,
      reviewBody: c.body_code,
      reviewDeadlineCitation: deadline.citation,
      housingNeed: {
        needsHousing: need.needsHousing,
        areaPerPersonM2: need.areaPerPersonM2,
        normM2: norm,
      },
    };
  },
});
