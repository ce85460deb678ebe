import { principalOf, requireRole } from '../auth/principal.js';
import { Router, type Request } from 'express';
import { z } from 'zod';
import {
  ApplicationFormFields,
  CATEGORY_QUESTIONS,
  Fin,
  KINSHIPS,
  MARRIED_REQUIRED,
  SUBMISSION_REQUIRED,
} from '../cases/application-form.js';
import {
  cancelApplication,
  createDraftOnce,
  getApplication,
  resubmitApplication,
  submitApplication,
  updateDraft,
  type ApplicationView,
  type DraftCreated,
} from '../cases/application.js';
import {
  checkDocumentContent,
  DOCUMENT_KINDS,
  DOCUMENT_LIMITS,
  storeDocument,
} from '../cases/documents.js';
import { inTransaction, type Pool } from '../db/pool.js';
import type { Assert, SameShape } from './contract.js';
import { DaySchema, InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { caseProblem, HttpProblem } from './problem.js';
import { singleScan } from './uploads.js';
import { parse } from './validate.js';

/** Fields may be removed from a draft by sending null. */
const FormPatch = ApplicationFormFields.extend(
  Object.fromEntries(
    Object.entries(ApplicationFormFields.shape).map(([k, v]) => [k, (v as z.ZodType).nullable()]),
  ) as never,
);

// a copy made here: zod 4 gives .openapi() to schemas made after extendZodWithOpenApi, and the
// form may be built before it (src/cases is imported first by some callers)
const ApplicationFormSchema = registry.register('ApplicationForm', ApplicationFormFields.strict());
const CreateDraftBody = registry.register(
  'CreateDraft',
  z.object({ applicantFin: Fin, form: ApplicationFormSchema.default({}) }).strict(),
);

/**
 * The form as it must be at "sign and submit" (000 §2.1, §2.1.5): the fields every application
 * has, those of a married applicant, and the questions of each category — from the constants
 * requireComplete() and requireCategoryAnswers() check, so the document follows the validation.
 */
registry.register(
  'SubmittableApplicationForm',
  ApplicationFormFields.required(
    Object.fromEntries(SUBMISSION_REQUIRED.map((f) => [f, true])) as never,
  ).openapi({
    description:
      'The draft form as it must be when signed and submitted (000 §2.1): POST …/submit answers 400 naming each field missing',
    allOf: [
      {
        if: { properties: { maritalStatus: { const: 'married' } }, required: ['maritalStatus'] },
        then: { required: [...MARRIED_REQUIRED] },
      },
      ...Object.entries(CATEGORY_QUESTIONS).map(([question, categories]) => ({
        if: {
          properties: {
            category: { enum: [...categories] },
            // the hero's status is asked of the hero's spouse or child, not of the hero
            ...(question === 'heroStatus'
              ? {
                  categoryDetails: {
                    properties: { kinship: { enum: KINSHIPS.filter((k) => k !== 'self') } },
                    required: ['kinship'],
                  },
                }
              : {}),
          },
          required: ['category', ...(question === 'heroStatus' ? ['categoryDetails'] : [])],
        },
        then: {
          properties: { categoryDetails: { required: [question] } },
          required: ['categoryDetails'],
        },
      })),
    ] as never, // JSON Schema 2020-12 if/then: the OpenAPI 3.0 types of the generator lack them
  }),
);
/** 000 §2.1.10–2.1.11: every uploaded document has its issue date and issuer at submission. */
registry.register(
  'SubmittableDocument',
  z
    .object({ kind: z.enum(DOCUMENT_KINDS), issueDate: z.iso.date(), issuer: z.string().min(2) })
    .openapi({
      description:
        'Each document of the draft when submitted (000 §2.1.10–2.1.11): its issue date and issuer are required',
    }),
);
const UpdateDraftBody = registry.register('UpdateDraft', z.object({ form: FormPatch }).strict());

// Both are required before "sign and submit" (003 §5.3.8, 000 §2.1).
const Signature = {
  consentToRegistryQueries: z.literal(true, {
    message: 'consent to registry queries is required (003 §5.3.8)',
  }),
  confirmsDataTrue: z.literal(true, {
    message: 'confirmation that the data is true and complete is required (000 §2.1)',
  }),
};
const SubmitBody = registry.register('SignAndSubmit', z.object(Signature).strict());
const ResubmitBody = registry.register(
  'Resubmit',
  z.object({ ...Signature, form: FormPatch.optional() }).strict(),
);

const DocumentFields = z
  .object({
    kind: z.enum(DOCUMENT_KINDS),
    issueDate: z.iso.date().optional(),
    issuer: z.string().trim().min(2).max(200).optional(),
    // 000 §2.1.10: the notarial certification number is a 13-digit barcode
    notarialBarcode: z
      .string()
      .regex(/^\d{13}$/, { message: 'must be the 13-digit notarial barcode' })
      .optional(),
    note: z.string().max(500).optional(),
  })
  .strict();

/** Idempotency-Key (IETF httpapi draft): 1–255 visible ASCII characters, e.g. a UUID. */
const IdempotencyKeyHeader = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, { message: 'must be 1–255 visible ASCII characters' })
    .optional()
    .openapi({
      description:
        'A retried request with the same key (and body) answers with the first draft instead of making another',
    }),
});

function idempotencyKey(req: Request): string | undefined {
  const v = req.get('idempotency-key');
  if (v === undefined) return undefined;
  const r = IdempotencyKeyHeader.safeParse({ 'idempotency-key': v });
  if (!r.success)
    throw new HttpProblem(
      400,
      'Invalid input',
      'Idempotency-Key: must be 1–255 visible ASCII characters',
      [{ field: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }],
    );
  return v;
}

const DraftCreatedSchema = registry.register(
  'DraftCreated',
  z.object({ id: z.uuid(), status: z.string(), draftExpiresAt: InstantSchema }),
);
const ApplicationViewSchema = registry.register(
  'ApplicationView',
  z.object({
    id: z.uuid(),
    status: z.string(),
    registrationNumber: z.number().int().nullable(),
    category: z.number().int().nullable(),
    submittedAt: InstantSchema.nullable(),
    draftExpiresAt: InstantSchema.nullable(),
    reviewDueAt: InstantSchema.nullable(),
    decidedAt: InstantSchema.nullable(),
    processInstanceKey: z.string().nullable(),
    form: ApplicationFormSchema,
    documents: z.array(
      z.object({
        id: z.uuid(),
        kind: z.string(),
        contentType: z.string(),
        sizeBytes: z.number().int(),
        uploadedAt: InstantSchema,
      }),
    ),
    checks: z.array(
      z.object({
        name: z.string(),
        passed: z.boolean(),
        legalGround: z.string(),
        detail: z.unknown(),
        checkedAt: InstantSchema,
      }),
    ),
    discrepancy: z
      .object({
        round: z.number().int(),
        dueDate: DaySchema,
        dueAt: InstantSchema,
        items: z.array(z.unknown()),
      })
      .nullable()
      .openapi({ description: 'the open discrepancy round: fix by its date (000 §2.4)' }),
    decision: z
      .object({
        outcome: z.string(),
        legalGround: z.string(),
        citation: z.string(),
        reason: z.string(),
        decidedAt: InstantSchema,
      })
      .nullable(),
  }),
);
type _ApplicationView = Assert<SameShape<z.infer<typeof ApplicationViewSchema>, ApplicationView>>;
type _DraftCreated = Assert<SameShape<z.infer<typeof DraftCreatedSchema>, DraftCreated>>;

const ApplicationId = z.object({ id: z.uuid({ message: 'must be an application id (UUID)' }) });

registry.registerPath({
  method: 'post',
  path: '/api/v1/applications',
  summary: 'Start an application (draft; deleted after 10 days unless submitted, 000 §2.2)',
  request: {
    headers: IdempotencyKeyHeader,
    body: { content: { 'application/json': { schema: CreateDraftBody } } },
  },
  responses: {
    201: jsonResponse(
      'draft created (or, for a repeated Idempotency-Key, the same draft again with Idempotent-Replayed: true)',
      DraftCreatedSchema,
    ),
    400: problemResponse('invalid input; every field at fault is named'),
    422: problemResponse('the Idempotency-Key was used for a different request'),
  },
});
registry.registerPath({
  method: 'patch',
  path: '/api/v1/applications/{id}',
  summary: 'Change a draft (null removes a field)',
  request: {
    params: ApplicationId,
    body: { content: { 'application/json': { schema: UpdateDraftBody } } },
  },
  responses: {
    200: jsonResponse('the form', z.object({ id: z.uuid(), form: ApplicationFormSchema })),
    400: problemResponse('invalid input'),
    404: problemResponse('no such application'),
    409: problemResponse('not a draft'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/applications/{id}/documents',
  summary:
    'Upload a document (multipart: file + fields). JPEG/PNG ≤ 2 MB for one page, PDF ≤ 10 MB (000 §2.1.10); type read from the content',
  request: {
    params: ApplicationId,
    body: {
      content: {
        'multipart/form-data': {
          schema: DocumentFields.extend({
            file: z.string().openapi({
              format: 'binary',
              description: `the scan, its type read from the content (000 §2.1.10): ${Object.entries(
                DOCUMENT_LIMITS,
              )
                .map(([type, bytes]) => `${type} ≤ ${bytes / 1024 / 1024} MB`)
                .join(', ')}`,
            }),
          }),
          encoding: { file: { contentType: Object.keys(DOCUMENT_LIMITS).join(', ') } },
        },
      },
    },
  },
  responses: {
    201: jsonResponse(
      'stored',
      z.object({
        id: z.uuid(),
        kind: z.enum(DOCUMENT_KINDS),
        contentType: z.string(),
        sizeBytes: z.number().int(),
      }),
    ),
    404: problemResponse('no such application'),
    400: problemResponse('invalid file or fields'),
    409: problemResponse('not editable now'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/applications/{id}/submit',
  summary: 'Sign and submit: registered with the next registration number in real time (003 §5.5)',
  request: {
    params: ApplicationId,
    body: { content: { 'application/json': { schema: SubmitBody } } },
  },
  responses: {
    200: jsonResponse(
      'registered; a repeated submit answers the same (the original registration number)',
      z.object({ id: z.uuid(), registrationNumber: z.number().int(), status: z.string() }),
    ),
    400: problemResponse(
      'incomplete: each field missing is named — the draft must be a SubmittableApplicationForm and each document a SubmittableDocument (#/components/schemas)',
    ),
    404: problemResponse('no such application'),
    409: problemResponse('not a draft, or the right is already used (003 §2.2)'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/applications/{id}/resubmit',
  summary: 'Resubmit after a discrepancy, before its deadline (000 §2.4)',
  request: {
    params: ApplicationId,
    body: { content: { 'application/json': { schema: ResubmitBody } } },
  },
  responses: {
    200: jsonResponse(
      'back under review',
      z.object({ status: z.string(), round: z.number().int() }),
    ),
    400: problemResponse('invalid'),
    404: problemResponse('no such application'),
    409: problemResponse('no open discrepancy, or its deadline passed'),
  },
});
registry.registerPath({
  method: 'post',
  path: '/api/v1/applications/{id}/cancel',
  summary: 'Delete a draft, or withdraw a submitted application',
  request: { params: ApplicationId },
  responses: {
    200: jsonResponse('deleted or cancelled', z.object({ status: z.string() })),
    400: problemResponse('malformed id'),
    404: problemResponse('no such application'),
    409: problemResponse('already decided'),
  },
});
registry.registerPath({
  method: 'get',
  path: '/api/v1/applications/{id}',
  summary: 'Status with deadline, discrepancy comments, decision and check results (000 §2)',
  request: { params: ApplicationId },
  responses: {
    200: jsonResponse('the application', ApplicationViewSchema),
    400: problemResponse('malformed id'),
    404: problemResponse('no such application'),
  },
});

function actor(req: Request): string {
  // The e-government portal authenticates the citizen (Asan İmza / e-signature) and calls us
  // as its service client; the audit trail names the citizen as acting through it.
  return `citizen:${req.principal?.id ?? 'portal'}`;
}

/** The citizen portal's API (e-government "Güzəştli mənzil" service). */
export function portalRouter(deps: { pool: Pool; onEngineMessagesQueued(): void }): Router {
  const r = Router();
  const done = deps.onEngineMessagesQueued;
  r.use('/api/v1/applications', requireRole('portal'));

  r.post('/api/v1/applications', async (req, res) => {
    const body = parse(CreateDraftBody, req, 'body');
    const key = idempotencyKey(req);
    const answer = await createDraftOnce(
      deps.pool,
      { applicantFin: body.applicantFin, form: body.form },
      actor(req),
      key ? { caller: principalOf(req).id, key } : undefined,
    ).catch(caseProblem);
    if (answer.replayed) res.setHeader('idempotent-replayed', 'true');
    else done();
    res.status(answer.status).location(`/api/v1/applications/${answer.body.id}`).json(answer.body);
  });

  r.patch('/api/v1/applications/:id', async (req, res) => {
    const { id } = parse(ApplicationId, req, 'params');
    const body = parse(UpdateDraftBody, req, 'body');
    const form = await updateDraft(deps.pool, id, body.form as never, actor(req)).catch(
      caseProblem,
    );
    res.json({ id, form });
  });

  // the scan is typed and size-checked while it streams in (src/api/uploads.ts)
  r.post('/api/v1/applications/:id/documents', singleScan);
  r.post('/api/v1/applications/:id/documents', async (req, res) => {
    const { id } = parse(ApplicationId, req, 'params');
    const fields = parse(DocumentFields, req, 'body');
    if (!req.file)
      throw new HttpProblem(400, 'Invalid input', 'file: is required', [
        { field: 'file', message: 'is required' },
      ]);
    const checked = await checkDocumentContent(req.file.buffer);
    if ('problem' in checked)
      throw new HttpProblem(400, 'Invalid input', `file: ${checked.problem.message}`, [
        checked.problem,
      ]);
    const docId = await inTransaction(deps.pool, async (tx) => {
      const { rows } = await tx.query<{ status: string }>(
        `SELECT status FROM application WHERE id = $1 FOR UPDATE`,
        [id],
      );
      if (!rows[0])
        throw new HttpProblem(404, 'Not found', `no application ${id}`, [
          { field: 'id', message: 'no such application' },
        ]);
      if (rows[0].status !== 'draft' && rows[0].status !== 'discrepancy') {
        throw new HttpProblem(
          409,
          'Conflict',
          `application is ${rows[0].status}: documents can be added to a draft or during a discrepancy`,
          [{ field: 'status', message: `is ${rows[0].status}` }],
        );
      }
      // One current upload per document kind (000 §2.1.10): a new one replaces the old.
      await tx.query(
        `UPDATE application_document SET replaced_at = now() WHERE application_id = $1 AND kind = $2 AND replaced_at IS NULL`,
        [id, fields.kind],
      );
      return storeDocument(tx, id, { ...checked.ok, ...fields, content: req.file!.buffer });
    });
    res.status(201).json({
      id: docId,
      kind: fields.kind,
      contentType: checked.ok.contentType,
      sizeBytes: checked.ok.sizeBytes,
    });
  });

  r.post('/api/v1/applications/:id/submit', async (req, res) => {
    const { id } = parse(ApplicationId, req, 'params');
    parse(SubmitBody, req, 'body');
    const result = await submitApplication(deps.pool, id, actor(req)).catch(caseProblem);
    done();
    res.json(result);
  });

  r.post('/api/v1/applications/:id/resubmit', async (req, res) => {
    const { id } = parse(ApplicationId, req, 'params');
    const body = parse(ResubmitBody, req, 'body');
    const result = await resubmitApplication(
      deps.pool,
      id,
      (body.form ?? {}) as never,
      actor(req),
    ).catch(caseProblem);
    done();
    res.json(result);
  });

  r.post('/api/v1/applications/:id/cancel', async (req, res) => {
    const { id } = parse(ApplicationId, req, 'params');
    const result = await cancelApplication(deps.pool, id, actor(req)).catch(caseProblem);
    done();
    res.json(result);
  });

  r.get('/api/v1/applications/:id', async (req, res) => {
    const { id } = parse(ApplicationId, req, 'params');
    const app = await getApplication(deps.pool, id);
    if (!app)
      throw new HttpProblem(404, 'Not found', `no application ${id}`, [
        { field: 'id', message: 'no such application' },
      ]);
    res.json(app);
  });
  return r;
}
