import { caseParam, entryParam, bodyParam, bodyScoped } from '../auth/scope.js';
import { Router } from 'express';
import { z } from 'zod';
import { Fin } from '../cases/application-form.js';
import {
  openSeizureCase,
  SEIZURE_GROUNDS,
  signalCase,
  WAITLIST_MESSAGES,
} from '../cases/waitlist-case.js';
import { recordAppealOutcome, recordRemovalAppeal } from '../cases/removal-appeal.js';
import { inTransaction, type Pool } from '../db/pool.js';
import { DaySchema, InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { caseProblem, HttpProblem } from './problem.js';
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

const BodyParam = z.object({
  body: z.string().regex(/^[a-z0-9-]+$/, { message: 'must be a body code' }),
});

export const RegistrationBody = registry.register(
  'WaitlistRegistration',
  z
    .object({
      applicantFin: Fin,
      listKind: z.enum(['general', 'first-turn', 'out-of-turn']),
      groundsOfNeed: z.array(z.string().min(2).max(60)).max(10).default([]),
      needDegree: z.number().int().min(0).max(10).default(0),
      seniorityDate: z.iso.date().optional(),
      // 004 §22: public-benefit activity, weighed after need and seniority among equal dates
      publicBenefit: z.number().int().min(0).max(10).default(0),
      family: z
        .array(
          z
            .object({
              fin: Fin.optional(),
              relation: z.string().min(2).max(40),
              birthDate: z.iso.date().optional(),
              adult: z.boolean().default(true),
            })
            .strict(),
        )
        .max(20),
      dwellings: z.array(DwellingLine).max(20),
      worsenedHousingOn: z.iso.date().optional(),
      documents: z.array(DocumentLine).min(1).max(40),
      documentsReceivedOn: z.iso.date(),
      contact: Contact,
    })
    .strict(),
);

const SeizureBody = registry.register(
  'SeizureRequest',
  z
    .object({
      ground: z.enum(SEIZURE_GROUNDS),
      source: z.enum(['person', 'reviewer']),
      establishedOn: z.iso.date(),
      note: z.string().max(1000).optional(),
    })
    .strict(),
);
const AppealBody = z.object({ filedOn: z.iso.date() }).strict();
const AppealOutcomeBody = z.object({ upheld: z.boolean(), decidedOn: z.iso.date() }).strict();

// --- the answers (issue 15) ---
const RegistrationFiledSchema = z.object({
  caseId: z.uuid(),
  receipt: z.object({
    date: DaySchema.openapi({ description: 'the day the documents were received (51.4)' }),
    accepted: z.array(z.string()),
    missing: z.array(z.string()),
  }),
});
const SeizureOpenedSchema = z.object({
  caseId: z.uuid(),
  created: z.boolean().openapi({ description: 'false: the ground joined the open case' }),
});
const AppealedSchema = z.object({ caseId: z.uuid(), status: z.literal('appealed') });
const AppealDecidedSchema = z.object({
  caseId: z.uuid(),
  status: z.literal('appeal-decided'),
  outcome: z.enum(['upheld', 'overturned']),
  restored: z.boolean().openapi({ description: 'the slot was restored to its list' }),
});
const WaitlistCaseSchema = registry.register(
  'WaitlistCase',
  z.object({
    id: z.uuid(),
    kind: z.enum(['registration', 'seizure', 'transfer']),
    body: z.string(),
    entryId: z.uuid().nullable(),
    listKind: z.enum(['general', 'first-turn', 'out-of-turn']).nullable(),
    status: z.string(),
    outcome: z.string().nullable(),
    ground: z.string().nullable(),
    source: z.enum(['registry', 'person', 'reviewer', 'reverification']).nullable(),
    establishedOn: DaySchema.nullable(),
    documentsReceivedOn: DaySchema.nullable(),
    documents: z.array(CaseDocumentSchema),
    decisionDueAt: InstantSchema.nullable(),
    decidedAt: InstantSchema.nullable(),
    finalAt: InstantSchema.nullable(),
    checks: CaseChecksSchema,
    decisions: z.array(CaseDecisionSchema),
  }),
);

registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/{body}/registrations',
  summary:
    'File a waitlist registration application with its documents; the receipt lists accepted and missing documents and the date (51.4)',
  request: {
    params: BodyParam,
    body: { content: { 'application/json': { schema: RegistrationBody } } },
  },
  responses: {
    201: jsonResponse('case opened, receipt', RegistrationFiledSchema),
    400: problemResponse('invalid input'),
    404: problemResponse('no such body'),
    409: problemResponse('the applicant already holds a place on this very list'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/entries/{entryId}/seizure-cases',
  summary:
    'Open a seizure case on a ground of 55.1 / 004 §19 (own request, or a reviewer: untrue data, sentence, leaving the employer)',
  request: {
    params: EntryParam,
    body: { content: { 'application/json': { schema: SeizureBody } } },
  },
  responses: {
    201: jsonResponse('opened', SeizureOpenedSchema),
    200: jsonResponse('joined the open case', SeizureOpenedSchema),
    400: problemResponse('invalid'),
    404: problemResponse('no such slot'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/cases/{caseId}/appeal',
  summary:
    'Record a court appeal against a removal decision (55.2), whenever it is filed: the Code sets no appeal period',
  request: {
    params: CaseParam,
    body: { content: { 'application/json': { schema: AppealBody } } },
  },
  responses: {
    202: jsonResponse('recorded', AppealedSchema),
    409: problemResponse('no removal decision on the case, or an appeal already pending'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/waitlist/cases/{caseId}/appeal-outcome',
  summary:
    "Record the court's outcome, whenever it arrives; an overturned removal restores the entry with its original registration date and number",
  request: {
    params: CaseParam,
    body: { content: { 'application/json': { schema: AppealOutcomeBody } } },
  },
  responses: {
    202: jsonResponse('recorded', AppealDecidedSchema),
    409: problemResponse('no appeal pending'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/waitlist/cases/{caseId}',
  summary: 'A waitlist case with its decisions and checks',
  request: { params: CaseParam },
  responses: {
    200: jsonResponse('the case', WaitlistCaseSchema),
    404: problemResponse('no such case'),
  },
});

/** The registering body's and reviewers' API for waitlist cases (Housing Code 51–55). */
export function waitlistCasesRouter(deps: { pool: Pool; onEngineMessagesQueued(): void }): Router {
  const r = Router();

  r.post(
    '/api/v1/waitlist/:body/registrations',
    bodyScoped(bodyParam(deps.pool), ['portal']),
    async (req, res) => {
      const { body } = parse(BodyParam, req, 'params');
      const input = parse(RegistrationBody, req, 'body');
      const result = await inTransaction(deps.pool, async (tx) => {
        const b = await tx.query(
          `SELECT 1 FROM registering_body WHERE code = $1 AND kind <> 'agency'`,
          [body],
        );
        if (!b.rowCount)
          throw new HttpProblem(404, 'Not found', `no registering body ${body}`, [
            { field: 'body', message: 'no such registering body' },
          ]);
        // Housing Code 51.2: a citizen may be registered on one or on ALL of their grounds, so a
        // place on another list of the body (first-turn, out-of-turn, general: 004 §9) bars
        // nothing. Only the same person on the same list again is no application to decide: the
        // place exists. Whether another member of the family is the registered one (004 §10) is
        // a check for the reviewer (check-housing-need), whose refusal is reasoned on a 53.1
        // ground and delivered (53.2–53.3) — never a bare 409 here.
        const same = await tx.query(
          `SELECT 1 FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id
            WHERE l.body_code = $1 AND l.kind = $2 AND e.registered_fin = $3 AND e.status IN ('active', 'held')`,
          [body, input.listKind, input.applicantFin],
        );
        if (same.rowCount)
          throw new HttpProblem(
            409,
            'Conflict',
            `the applicant already holds a place on the ${input.listKind} list of this body`,
            [{ field: 'listKind', message: 'already registered on this list' }],
          );
        const details = {
          family: input.family,
          dwellings: input.dwellings,
          groundsOfNeed: input.groundsOfNeed,
          needDegree: input.needDegree,
          seniorityDate: input.seniorityDate,
          publicBenefit: input.publicBenefit,
          worsenedHousingOn: input.worsenedHousingOn,
          contact: input.contact,
        };
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO waitlist_case (kind, body_code, applicant_fin, list_kind, details, documents, documents_received_on)
         VALUES ('registration', $1, $2, $3, $4, $5, $6) RETURNING id`,
          [
            body,
            input.applicantFin,
            input.listKind,
            JSON.stringify(details),
            JSON.stringify(input.documents),
            input.documentsReceivedOn,
          ],
        );
        const caseId = rows[0]!.id;
        await signalCase(tx, {
          caseId,
          actor: actor(req),
          action: 'registration-filed',
          legalGround: 'Mənzil Məcəlləsi 51.4',
          after: { listKind: input.listKind, documents: input.documents.length },
          message: WAITLIST_MESSAGES.registrationFiled,
          variables: { caseId, caseType: 'waitlist-case' },
        });
        return {
          caseId,
          receipt: {
            date: input.documentsReceivedOn,
            accepted: input.documents.filter((d) => d.accepted).map((d) => d.kind),
            missing: input.documents.filter((d) => !d.accepted).map((d) => d.kind),
          },
        };
      });
      deps.onEngineMessagesQueued();
      res
        .status(201)
        .location(`/api/v1/waitlist/cases/${result.caseId}`)
        .json(result satisfies z.infer<typeof RegistrationFiledSchema>);
    },
  );

  r.post(
    '/api/v1/waitlist/entries/:entryId/seizure-cases',
    bodyScoped(entryParam(deps.pool)),
    async (req, res) => {
      const { entryId } = parse(EntryParam, req, 'params');
      const input = parse(SeizureBody, req, 'body');
      const result = await inTransaction(deps.pool, async (tx) => {
        const e = await tx.query(`SELECT status FROM waitlist_entry WHERE id = $1`, [entryId]);
        if (!e.rows[0] || !['active', 'held'].includes(e.rows[0].status)) {
          throw new HttpProblem(404, 'Not found', `no slot ${entryId} on a waitlist`, [
            { field: 'entryId', message: 'no such slot on a list' },
          ]);
        }
        return openSeizureCase(
          tx,
          {
            entryId,
            ground: input.ground,
            source: input.source,
            establishedOn: input.establishedOn,
            eventId: `${input.source}:${entryId}:${input.ground}:${input.establishedOn}`,
            facts: input.note ? { note: input.note } : {},
          },
          actor(req),
        );
      });
      deps.onEngineMessagesQueued();
      res
        .status(result.created ? 201 : 200)
        .json(result satisfies z.infer<typeof SeizureOpenedSchema>);
    },
  );

  // Housing Code 55.2 sets no appeal period: an appeal and its outcome are recorded whenever
  // they arrive (src/cases/removal-appeal.ts); lateness is never a reason to refuse.
  r.post(
    '/api/v1/waitlist/cases/:caseId/appeal',
    bodyScoped(caseParam(deps.pool), ['portal']),
    async (req, res) => {
      const { caseId } = parse(CaseParam, req, 'params');
      const input = parse(AppealBody, req, 'body');
      await inTransaction(deps.pool, (tx) =>
        recordRemovalAppeal(tx, caseId, input.filedOn, actor(req)),
      ).catch(caseProblem);
      res.status(202).json({
        caseId,
        status: 'appealed',
      } satisfies z.infer<typeof AppealedSchema>);
    },
  );

  r.post(
    '/api/v1/waitlist/cases/:caseId/appeal-outcome',
    bodyScoped(caseParam(deps.pool)),
    async (req, res) => {
      const { caseId } = parse(CaseParam, req, 'params');
      const input = parse(AppealOutcomeBody, req, 'body');
      const { restored } = await inTransaction(deps.pool, (tx) =>
        recordAppealOutcome(tx, caseId, input, actor(req), new Date()),
      ).catch(caseProblem);
      res.status(202).json({
        caseId,
        status: 'appeal-decided',
        outcome: input.upheld ? 'upheld' : 'overturned',
        restored,
      } satisfies z.infer<typeof AppealDecidedSchema>);
    },
  );

  r.get(
    '/api/v1/waitlist/cases/:caseId',
    bodyScoped(caseParam(deps.pool), ['portal', 'operator', 'administrator']),
    async (req, res) => {
      const { caseId } = parse(CaseParam, req, 'params');
      const { rows } = await deps.pool.query(
        `SELECT id, kind, body_code AS body, entry_id AS "entryId", list_kind AS "listKind", status, outcome, ground, source,
              to_char(established_on, 'YYYY-MM-DD') AS "establishedOn", to_char(documents_received_on, 'YYYY-MM-DD') AS "documentsReceivedOn",
              documents, decision_due_at AS "decisionDueAt", decided_at AS "decidedAt", final_at AS "finalAt", details->'checks' AS checks
         FROM waitlist_case WHERE id = $1`,
        [caseId],
      );
      if (!rows[0])
        throw new HttpProblem(404, 'Not found', `no case ${caseId}`, [
          { field: 'caseId', message: 'no such case' },
        ]);
      const decisions = await deps.pool.query(
        `SELECT d.outcome, d.legal_ground AS "legalGround", g.citation, d.reason, d.decided_by AS "decidedBy", d.decided_at AS "decidedAt"
         FROM decision d JOIN legal_ground g ON g.code = d.legal_ground WHERE d.case_id = $1 ORDER BY d.decided_at`,
        [caseId],
      );
      res.json({ ...rows[0], decisions: decisions.rows });
    },
  );
  return r;
}
