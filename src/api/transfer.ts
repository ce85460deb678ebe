import { caseParam, entryParam, bodyScoped } from '../auth/scope.js';
import { Router } from 'express';
import { z } from 'zod';
import { Fin } from '../cases/application-form.js';
import { recordAudit } from '../cases/audit.js';
import { signalCase } from '../cases/waitlist-case.js';
import {
  DECISION_COPY_CHANNELS,
  NOTICE_RECEIPT_CHANNELS,
  TRANSFER_GROUNDS,
  TRANSFER_MESSAGES,
  loadVariantRule,
  type TransferDetails,
} from '../cases/transfer.js';
import { inTransaction, type Pool } from '../db/pool.js';
import { civilDateInBaku } from '../domain/calendar.js';
import {
  REPRESENTATIVE_KINDS,
  TRANSFER_EVENTS,
  TRANSFER_VARIANTS,
  conditionsOf,
  receiptOf,
  representativeProblems,
  requiredDocuments,
} from '../domain/transfer.js';
import { DaySchema, InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { HttpProblem } from './problem.js';
import { parse } from './validate.js';
import {
  actor,
  CaseChecksSchema,
  CaseDecisionSchema,
  CaseDocumentSchema,
  CaseParam,
  Contact,
  DocumentLine,
  DwellingLine,
  EntryParam,
} from './waitlist-schemas.js';

/** Annex 1 (the application) with the family members of annex 2 (the representation statement). */
export const TransferApplicationBody = registry.register(
  'RegistrationTransferApplication',
  z
    .object({
      via: z.enum(['body', 'centre']).openapi({
        description: 'filed with the registering body or the Centre (002 §2.1)',
      }),
      variant: z.enum(TRANSFER_VARIANTS).default('martyr-family'),
      event: z.enum(TRANSFER_EVENTS).default('death'),
      eventDate: z.iso.date().openapi({
        description:
          'the date of the death (or of moving away, 004 §20) as the application states it',
      }),
      laterMartyrStatus: z.boolean().default(false),
      representative: z
        .object({
          fin: Fin,
          kind: z.enum(REPRESENTATIVE_KINDS),
          relation: z.string().trim().min(2).max(40).optional(),
          birthDate: z.iso.date().optional(),
        })
        .strict(),
      family: z
        .array(
          z
            .object({
              fin: Fin.optional(),
              relation: z.string().trim().min(2).max(40),
              birthDate: z.iso.date().optional(),
              adult: z.boolean(),
              signed: z.boolean().default(false),
            })
            .strict(),
        )
        .max(20),
      dwellings: z.array(DwellingLine).max(20).optional(),
      documents: z.array(DocumentLine).max(40),
      documentsReceivedOn: z.iso.date(),
      decisionCopyChannel: z.enum(DECISION_COPY_CHANNELS).optional(),
      contact: Contact,
    })
    .strict(),
);

const DocumentBody = registry.register(
  'TransferDocument',
  DocumentLine.extend({ receivedOn: z.iso.date() }).strict(),
);
const FixedBody = z.object({ fixedOn: z.iso.date() }).strict();
/** 002 §2.5: the day the representative received the deficiency notice, and how it reached them. */
const ReceivedBody = registry.register(
  'TransferDeficiencyNoticeReceipt',
  z
    .object({
      receivedOn: z.iso.date().openapi({
        description: 'the day the written notice was received (the channel’s delivery receipt)',
      }),
      via: z.enum(NOTICE_RECEIPT_CHANNELS).openapi({
        description:
          'cabinet (opened in the electronic cabinet), email, in-person, post (postal receipt) or centre',
      }),
    })
    .strict(),
);

// --- the answers (issue 15) ---
const TransferReceiptSchema = z.object({
  date: DaySchema,
  accepted: z.array(z.string()),
  missing: z.array(z.string()),
  toBeFetched: z
    .array(z.string())
    .openapi({ description: 'missing, but held by a registry: fetched by the body (002 §2.3)' }),
});
const TransferFiledSchema = z.object({
  caseId: z.uuid(),
  variant: z.enum(TRANSFER_VARIANTS),
  receipt: TransferReceiptSchema,
});
const TransferDocumentsSchema = z.object({
  caseId: z.uuid(),
  documents: z.array(CaseDocumentSchema),
});
const DeficiencyFixedSchema = z.object({ caseId: z.uuid(), status: z.literal('deficiency-fixed') });
const NoticeReceivedSchema = z.object({ caseId: z.uuid(), receivedOn: DaySchema });
const TransferCaseSchema = registry.register(
  'TransferCase',
  z.object({
    id: z.uuid(),
    body: z.string(),
    entryId: z.uuid(),
    representativeFin: z.string(),
    status: z.string(),
    outcome: z.string().nullable(),
    variant: z.enum(TRANSFER_VARIANTS),
    via: z.enum(['body', 'centre']),
    event: z.enum(TRANSFER_EVENTS),
    receipt: TransferReceiptSchema,
    checks: CaseChecksSchema,
    deficiencies: z
      .array(z.object({ kind: z.string(), point: z.string(), message: z.string() }))
      .nullable(),
    deadlines: z
      .record(z.string(), z.string())
      .nullable()
      .openapi({ description: 'the case’s deadlines by name (deficiencyNoticeDue, decisionDue)' }),
    decisionCopy: z
      .record(z.string(), z.unknown())
      .nullable()
      .openapi({ description: 'how the copy of the decision was delivered (002 §3.4)' }),
    reviewOfRefusedCase: z.uuid().nullable(),
    documentsReceivedOn: DaySchema,
    documents: z.array(CaseDocumentSchema),
    decisionDueAt: InstantSchema.nullable(),
    decidedAt: InstantSchema.nullable(),
    finalAt: InstantSchema.nullable(),
    signatories: z.array(
      z.object({
        fin: z.string().nullable(),
        relation: z.string(),
        birthDate: DaySchema.nullable(),
        adult: z.boolean(),
        representative: z.boolean(),
        signed: z.boolean(),
      }),
    ),
    decisions: z.array(CaseDecisionSchema),
  }),
);

registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/entries/{entryId}/transfer-applications',
  summary:
    'File an application to transfer a registration to a family member (002 §2.1, annex 1 and 2); the receipt lists accepted and missing documents and the date (002 §2.4)',
  request: {
    params: EntryParam,
    body: { content: { 'application/json': { schema: TransferApplicationBody } } },
  },
  responses: {
    201: jsonResponse('case opened, receipt', TransferFiledSchema),
    400: problemResponse('invalid input'),
    404: problemResponse('no such slot'),
    409: problemResponse('a transfer is open, or this representative was refused on 002 §3.1.3'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/transfer-cases/{caseId}/documents',
  summary: 'Add or replace a document line of a transfer case (002 §2.4–2.5)',
  request: {
    params: CaseParam,
    body: { content: { 'application/json': { schema: DocumentBody } } },
  },
  responses: {
    200: jsonResponse('the documents', TransferDocumentsSchema),
    400: problemResponse('invalid'),
    404: problemResponse('no such case'),
    409: problemResponse('the case is decided'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/transfer-cases/{caseId}/deficiency-fixed',
  summary: 'The representative fixed the deficiencies of the notice (002 §2.5)',
  request: {
    params: CaseParam,
    body: { content: { 'application/json': { schema: FixedBody } } },
  },
  responses: {
    202: jsonResponse('recorded; the review starts', DeficiencyFixedSchema),
    404: problemResponse('no such case'),
    409: problemResponse('no deficiency notice open'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/transfer-cases/{caseId}/deficiency-notice-received',
  summary:
    'The representative received the deficiency notice (the channel’s receipt): the 7 working days of 002 §2.5 run from that day',
  request: {
    params: CaseParam,
    body: { content: { 'application/json': { schema: ReceivedBody } } },
  },
  responses: {
    202: jsonResponse('recorded; the fix period starts', NoticeReceivedSchema),
    400: problemResponse('invalid, or a day before the notice was sent or in the future'),
    404: problemResponse('no such case'),
    409: problemResponse('no deficiency notice open, or its receipt is already recorded'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/waitlist/transfer-cases/{caseId}',
  summary:
    'A transfer case: variant, representative and signatories, documents, deficiencies, deadlines, decisions',
  request: { params: CaseParam },
  responses: {
    200: jsonResponse('the case', TransferCaseSchema),
    404: problemResponse('no such case'),
  },
});

/** The registering body's and the Centre's API for registration transfers (002). */
export function transferRouter(deps: { pool: Pool; onEngineMessagesQueued(): void }): Router {
  const r = Router();

  r.post(
    '/api/v1/waitlist/entries/:entryId/transfer-applications',
    bodyScoped(entryParam(deps.pool), ['portal']),
    async (req, res) => {
      const { entryId } = parse(EntryParam, req, 'params');
      const input = parse(TransferApplicationBody, req, 'body');
      const rule = await loadVariantRule(deps.pool, input.variant);
      if (!rule)
        throw new HttpProblem(400, 'Invalid input', `variant ${input.variant} is not configured`, [
          { field: 'variant', message: 'not configured' },
        ]);
      const problems = representativeProblems(
        input.representative,
        input.family,
        input.documentsReceivedOn,
      );
      if (!rule.events.includes(input.event))
        problems.push({
          field: 'event',
          message: `the ${rule.code} variant covers ${rule.events.join(', ')} (${rule.legalSource})`,
        });
      if (input.laterMartyrStatus && rule.code !== 'martyr-family')
        problems.push({
          field: 'laterMartyrStatus',
          message: 'only for the martyr-family variant',
        });
      if (input.eventDate > input.documentsReceivedOn)
        problems.push({ field: 'eventDate', message: 'after the application date' });
      if (problems.length)
        throw new HttpProblem(
          400,
          'Invalid input',
          problems.map((p) => `${p.field}: ${p.message}`).join('; '),
          problems,
        );
      const required = requiredDocuments(
        rule,
        conditionsOf({
          representativeKind: input.representative.kind,
          event: input.event,
          laterMartyrStatus: input.laterMartyrStatus,
        }),
      );
      const receipt = receiptOf(required, input.documents, input.documentsReceivedOn);
      const result = await inTransaction(deps.pool, async (tx) => {
        const e = await tx.query<{
          status: string;
          body_code: string;
          registered_fin: string | null;
        }>(
          `SELECT e.status, l.body_code, e.registered_fin FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id WHERE e.id = $1 FOR UPDATE OF e`,
          [entryId],
        );
        const entry = e.rows[0];
        if (!entry || !['active', 'held'].includes(entry.status))
          throw new HttpProblem(404, 'Not found', `no slot ${entryId} on a waitlist`, [
            { field: 'entryId', message: 'no such slot on a list' },
          ]);
        if (entry.registered_fin === input.representative.fin)
          throw new HttpProblem(409, 'Conflict', 'the representative already holds this slot', [
            { field: 'representative.fin', message: 'already the registered person' },
          ]);
        const open = await tx.query(
          `SELECT 1 FROM waitlist_case WHERE entry_id = $1 AND kind = 'transfer' AND final_at IS NULL`,
          [entryId],
        );
        if (open.rowCount)
          throw new HttpProblem(409, 'Conflict', 'a transfer application for this slot is open', [
            { field: 'entryId', message: 'a transfer is open' },
          ]);
        // 002 §3.5: a refusal on 3.1.3 does not stop other members; the same representative is refused.
        const unworthy = await tx.query(
          `SELECT 1 FROM waitlist_case c JOIN decision d ON d.case_id = c.id
          WHERE c.entry_id = $1 AND c.kind = 'transfer' AND c.applicant_fin = $2 AND d.legal_ground = $3`,
          [entryId, input.representative.fin, TRANSFER_GROUNDS.unworthyHeir],
        );
        if (unworthy.rowCount)
          throw new HttpProblem(
            409,
            'Conflict',
            'this representative was refused as an unworthy heir (002 §3.1.3); another family member may apply (002 §3.5)',
            [{ field: 'representative.fin', message: 'refused on 002 §3.1.3' }],
          );
        // 002 §3.4: after a refusal on 3.1.1 the application is reviewed again once cured.
        const cured = await tx.query<{ id: string }>(
          `SELECT c.id FROM waitlist_case c JOIN decision d ON d.case_id = c.id
          WHERE c.entry_id = $1 AND c.kind = 'transfer' AND d.legal_ground = $2 ORDER BY c.opened_at DESC LIMIT 1`,
          [entryId, TRANSFER_GROUNDS.documentsMissing],
        );
        const details: TransferDetails = {
          variant: input.variant,
          via: input.via,
          event: input.event,
          eventDate: input.eventDate,
          laterMartyrStatus: input.laterMartyrStatus,
          deceasedFin: entry.registered_fin,
          representative: input.representative,
          family: input.family,
          dwellings: input.dwellings,
          decisionCopyChannel:
            input.decisionCopyChannel ?? (input.via === 'centre' ? 'centre' : 'post'),
          contact: input.contact,
        };
        const documents = input.documents.map((d) => ({
          ...d,
          source: 'applicant',
          receivedOn: input.documentsReceivedOn,
        }));
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO waitlist_case (kind, body_code, entry_id, applicant_fin, details, documents, documents_received_on, status)
         VALUES ('transfer', $1, $2, $3, $4, $5, $6, 'filed') RETURNING id`,
          [
            entry.body_code,
            entryId,
            input.representative.fin,
            JSON.stringify({
              ...details,
              receipt,
              reviewOfRefusedCase: cured.rows[0]?.id ?? null,
            }),
            JSON.stringify(documents),
            input.documentsReceivedOn,
          ],
        );
        const caseId = rows[0]!.id;
        await tx.query(
          `INSERT INTO transfer_signatory (case_id, fin, relation, birth_date, adult, representative, signed)
         VALUES ($1, $2, $3, $4, true, true, true)`,
          [
            caseId,
            input.representative.fin,
            input.representative.relation ?? input.representative.kind,
            input.representative.birthDate ?? null,
          ],
        );
        for (const m of input.family) {
          await tx.query(
            `INSERT INTO transfer_signatory (case_id, fin, relation, birth_date, adult, signed) VALUES ($1, $2, $3, $4, $5, $6)`,
            [caseId, m.fin ?? null, m.relation, m.birthDate ?? null, m.adult, m.signed],
          );
        }
        await signalCase(tx, {
          caseId,
          actor: actor(req),
          action: 'transfer-application-filed',
          legalGround: '002 §2.1, §2.4',
          after: {
            entryId,
            variant: input.variant,
            via: input.via,
            accepted: receipt.accepted,
            missing: receipt.missing,
            toBeFetched: receipt.toBeFetched,
            reviewOfRefusedCase: cured.rows[0]?.id ?? null,
          },
          message: TRANSFER_MESSAGES.filed,
          variables: { caseId, caseType: 'waitlist-case', entryId, reviewBody: entry.body_code },
        });
        return { caseId };
      });
      deps.onEngineMessagesQueued();
      res
        .status(201)
        .location(`/api/v1/waitlist/transfer-cases/${result.caseId}`)
        .json({
          caseId: result.caseId,
          variant: input.variant,
          receipt,
        } satisfies z.infer<typeof TransferFiledSchema>);
    },
  );

  r.post(
    '/api/v1/waitlist/transfer-cases/:caseId/documents',
    bodyScoped(caseParam(deps.pool), ['portal']),
    async (req, res) => {
      const { caseId } = parse(CaseParam, req, 'params');
      const input = parse(DocumentBody, req, 'body');
      const documents = await inTransaction(deps.pool, async (tx) => {
        const c = await tx.query<{ documents: Record<string, unknown>[]; final_at: Date | null }>(
          `SELECT documents, final_at FROM waitlist_case WHERE id = $1 AND kind = 'transfer' FOR UPDATE`,
          [caseId],
        );
        const row = c.rows[0];
        if (!row)
          throw new HttpProblem(404, 'Not found', `no transfer case ${caseId}`, [
            { field: 'caseId', message: 'no such transfer case' },
          ]);
        if (row.final_at)
          throw new HttpProblem(409, 'Conflict', 'the case is decided', [
            { field: 'caseId', message: 'decided' },
          ]);
        const line = {
          kind: input.kind,
          accepted: input.accepted,
          ...(input.note ? { note: input.note } : {}),
          source: 'applicant',
          receivedOn: input.receivedOn,
        };
        const next = [...row.documents.filter((d) => d.kind !== input.kind), line];
        await tx.query(`UPDATE waitlist_case SET documents = $2 WHERE id = $1`, [
          caseId,
          JSON.stringify(next),
        ]);
        await recordAudit(tx, {
          caseType: 'waitlist-case',
          caseId,
          actor: actor(req),
          action: 'transfer-document-received',
          legalGround: '002 §2.4',
          after: { kind: input.kind, accepted: input.accepted, receivedOn: input.receivedOn },
        });
        return next;
      });
      res.json({ caseId, documents });
    },
  );

  r.post(
    '/api/v1/waitlist/transfer-cases/:caseId/deficiency-fixed',
    bodyScoped(caseParam(deps.pool), ['portal']),
    async (req, res) => {
      const { caseId } = parse(CaseParam, req, 'params');
      const input = parse(FixedBody, req, 'body');
      await inTransaction(deps.pool, async (tx) => {
        const c = await tx.query<{ status: string }>(
          `SELECT status FROM waitlist_case WHERE id = $1 AND kind = 'transfer' FOR UPDATE`,
          [caseId],
        );
        if (!c.rows[0])
          throw new HttpProblem(404, 'Not found', `no transfer case ${caseId}`, [
            { field: 'caseId', message: 'no such transfer case' },
          ]);
        if (c.rows[0].status !== 'deficiency-notified')
          throw new HttpProblem(409, 'Conflict', 'no deficiency notice is open', [
            { field: 'caseId', message: `status ${c.rows[0].status}` },
          ]);
        await tx.query(
          `UPDATE waitlist_case SET status = 'deficiency-fixed', details = details || jsonb_build_object('documentsCompleteOn', $2::text) WHERE id = $1`,
          [caseId, input.fixedOn],
        );
        await signalCase(tx, {
          caseId,
          actor: actor(req),
          action: 'transfer-deficiency-fixed',
          legalGround: '002 §2.5',
          after: { fixedOn: input.fixedOn },
          message: TRANSFER_MESSAGES.deficiencyFixed,
          variables: { deficiencyFixedOn: input.fixedOn },
        });
      });
      deps.onEngineMessagesQueued();
      res.status(202).json({
        caseId,
        status: 'deficiency-fixed',
      } satisfies z.infer<typeof DeficiencyFixedSchema>);
    },
  );

  r.post(
    '/api/v1/waitlist/transfer-cases/:caseId/deficiency-notice-received',
    bodyScoped(caseParam(deps.pool), ['portal']),
    async (req, res) => {
      const { caseId } = parse(CaseParam, req, 'params');
      const input = parse(ReceivedBody, req, 'body');
      await inTransaction(deps.pool, async (tx) => {
        const c = await tx.query<{
          status: string;
          notice: { sentOn?: string; receivedOn?: string | null } | null;
        }>(
          `SELECT status, details->'deficiencyNotice' AS notice FROM waitlist_case WHERE id = $1 AND kind = 'transfer' FOR UPDATE`,
          [caseId],
        );
        const row = c.rows[0];
        if (!row)
          throw new HttpProblem(404, 'Not found', `no transfer case ${caseId}`, [
            { field: 'caseId', message: 'no such transfer case' },
          ]);
        if (row.status !== 'deficiency-notified' || !row.notice?.sentOn)
          throw new HttpProblem(409, 'Conflict', 'no deficiency notice is open', [
            { field: 'caseId', message: `status ${row.status}` },
          ]);
        if (row.notice.receivedOn)
          throw new HttpProblem(409, 'Conflict', 'the receipt of the notice is already recorded', [
            { field: 'receivedOn', message: `already recorded: ${row.notice.receivedOn}` },
          ]);
        if (input.receivedOn < row.notice.sentOn || input.receivedOn > civilDateInBaku(new Date()))
          throw new HttpProblem(
            400,
            'Invalid input',
            'the notice cannot be received before it was sent or in the future',
            [{ field: 'receivedOn', message: `between ${row.notice.sentOn} and today` }],
          );
        await tx.query(
          `UPDATE waitlist_case SET details = jsonb_set(details, '{deficiencyNotice}',
                  details->'deficiencyNotice' || jsonb_build_object('receivedOn', $2::text, 'receivedVia', $3::text))
            WHERE id = $1`,
          [caseId, input.receivedOn, input.via],
        );
        await signalCase(tx, {
          caseId,
          actor: actor(req),
          action: 'transfer-deficiency-notice-received',
          legalGround: '002 §2.5',
          after: { receivedOn: input.receivedOn, via: input.via },
          message: TRANSFER_MESSAGES.noticeReceived,
          variables: { deficiencyNoticeReceivedOn: input.receivedOn },
        });
      });
      deps.onEngineMessagesQueued();
      res.status(202).json({
        caseId,
        receivedOn: input.receivedOn,
      } satisfies z.infer<typeof NoticeReceivedSchema>);
    },
  );

  r.get(
    '/api/v1/waitlist/transfer-cases/:caseId',
    bodyScoped(caseParam(deps.pool), ['portal', 'operator', 'administrator']),
    async (req, res) => {
      const { caseId } = parse(CaseParam, req, 'params');
      const { rows } = await deps.pool.query(
        `SELECT id, body_code AS body, entry_id AS "entryId", applicant_fin AS "representativeFin", status, outcome,
              details->>'variant' AS variant, details->>'via' AS via, details->>'event' AS event,
              details->'receipt' AS receipt, details->'checks' AS checks, details->'deficiencies' AS deficiencies,
              details->'deadlines' AS deadlines, details->'decisionCopy' AS "decisionCopy",
              details->>'reviewOfRefusedCase' AS "reviewOfRefusedCase",
              to_char(documents_received_on, 'YYYY-MM-DD') AS "documentsReceivedOn", documents,
              decision_due_at AS "decisionDueAt", decided_at AS "decidedAt", final_at AS "finalAt"
         FROM waitlist_case WHERE id = $1 AND kind = 'transfer'`,
        [caseId],
      );
      if (!rows[0])
        throw new HttpProblem(404, 'Not found', `no transfer case ${caseId}`, [
          { field: 'caseId', message: 'no such transfer case' },
        ]);
      const [signatories, decisions] = await Promise.all([
        deps.pool.query(
          `SELECT fin, relation, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", adult, representative, signed
           FROM transfer_signatory WHERE case_id = $1 ORDER BY representative DESC, id`,
          [caseId],
        ),
        deps.pool.query(
          `SELECT d.outcome, d.legal_ground AS "legalGround", g.citation, d.reason, d.decided_by AS "decidedBy", d.decided_at AS "decidedAt"
           FROM decision d JOIN legal_ground g ON g.code = d.legal_ground WHERE d.case_id = $1 ORDER BY d.decided_at`,
          [caseId],
        ),
      ]);
      res.json({ ...rows[0], signatories: signatories.rows, decisions: decisions.rows });
    },
  );
  return r;
}
