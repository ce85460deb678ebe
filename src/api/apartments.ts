import { Router, type Request } from 'express';
import { z } from 'zod';
import { assertBody, principalOf, requireRole } from '../auth/principal.js';
import {
  ANNOUNCEMENT_STATUSES,
  draftAnnouncement,
  listAnnouncements,
  submitAnnouncement,
} from '../cases/announcement.js';
import {
  APARTMENT_STATES,
  appointNotary,
  cabinetView,
  cancelSelection,
  recordBankEvent,
  recordContract,
  recordExchange,
  requestNotaryDate,
  SELECTION_STATES,
  selectApartment,
  switchToOwnFunds,
  takeWaitingSlot,
  uploadPreApproval,
  withdrawSelection,
} from '../cases/apartment-selection.js';
import type { Pool } from '../db/pool.js';
import { PAYMENT_METHODS } from '../domain/apartment-announcement.js';
import { OFFICER_CANCELLATION_GROUNDS } from '../domain/apartment-selection.js';
import { isCivilDate } from '../domain/calendar.js';
import { DaySchema, InstantSchema, jsonResponse, problemResponse, registry } from './openapi.js';
import { caseProblem, HttpProblem } from './problem.js';
import { parse } from './validate.js';

/**
 * The apartment phase (003 §4–§7): the citizen portal (announcements, apartments, selection,
 * waiting slots, cabinet), MİDA officers (announcements, notary dates, contracts,
 * cancellations, exchanges) and the mortgage e-system (bank application and decision).
 */
const Day = z
  .string()
  .refine(isCivilDate, { message: 'must be a real date YYYY-MM-DD' })
  .openapi({ format: 'date', example: '2026-11-02' });
const Text = (max = 500) => z.string().trim().min(1, { message: 'is required' }).max(max);
const Money = z.number().int({ message: 'must be whole qəpik' }).positive();

const Offer = z
  .object({
    rooms: z.number().int().positive(),
    count: z.number().int().positive(),
    priceQepik: Money,
  })
  .strict();
const AgentBank = z
  .object({
    name: Text(200),
    headOffice: Text(300),
    branches: z.array(Text(300)).max(200).default([]),
  })
  .strict();
const Content = z
  .object({
    buildingAddress: Text(300),
    buildingAreaM2: z.number().positive(),
    landAreaM2: z.number().positive(),
    offers: z.array(Offer).min(1).max(20),
    howToApply: Text(2000),
    completionDate: Day,
    website: z.url({ message: 'must be a URL' }),
    selectionStartsOn: Day,
    selectionEndsOn: Day,
    generalContractor: z.object({ name: Text(200), address: Text(300) }).strict(),
    paymentMethod: z.enum(PAYMENT_METHODS),
    electronic: z.boolean(),
    masterPlan: Text(500).optional(),
    agentBanks: z.array(AgentBank).max(50).optional(),
  })
  .strict();
const ApartmentInput = z
  .object({
    building: Text(50),
    number: Text(20),
    address: Text(300),
    rooms: z.number().int().positive().max(20),
    floor: z.number().int().min(-5).max(200),
    areaM2: z.number().positive().max(10_000),
    priceQepik: Money,
  })
  .strict();
const DraftBody = registry.register(
  'AnnouncementDraft',
  z
    .object({
      content: Content,
      builtPercent: z.number().min(0).max(100),
      apartments: z.array(ApartmentInput).min(1).max(5000),
    })
    .strict(),
);
const Method = z.enum(['own-funds', 'mortgage'], { message: 'must be own-funds or mortgage' });
const SelectBody = registry.register(
  'ApartmentSelect',
  z
    .object({
      apartmentId: z.uuid({ message: 'must be an apartment id (UUID)' }),
      paymentMethod: Method,
    })
    .strict(),
);
const PreApprovalBody = registry.register(
  'BankPreApproval',
  z
    .object({
      bankName: Text(200),
      decisionNumber: Text(100),
      issuedOn: Day,
      amountQepik: Money.optional(),
    })
    .strict(),
);
const NotaryBody = registry.register(
  'NotaryAppointment',
  z.object({ name: Text(200), address: Text(300), date: Day }).strict(),
);
const ContractBody = registry.register(
  'ApartmentContract',
  z
    .object({
      kind: z.enum(['sale', 'sale-and-mortgage']),
      signedOn: Day,
      notaryName: Text(200),
      notaryCertificationNumber: Text(100),
      registryPriorRegistration: Text(100),
      agentBank: Text(200).optional(),
      loanQepik: Money.optional(),
    })
    .strict(),
);
const CancelBody = registry.register(
  'SelectionCancellation',
  z
    .object({
      ground: z.enum(OFFICER_CANCELLATION_GROUNDS as [string, ...string[]], {
        message: `must be one of ${OFFICER_CANCELLATION_GROUNDS.join(', ')}`,
      }),
      reason: z
        .string()
        .trim()
        .min(10, { message: 'a reasoned decision needs its reasons (at least 10 characters)' })
        .max(4000),
    })
    .strict(),
);
const ExchangeBody = registry.register(
  'ApartmentExchange',
  z
    .object({
      applicationId: z.uuid(),
      fromApartmentId: z.uuid(),
      toApartmentId: z.uuid(),
      requestReason: z.string().trim().min(10).max(4000),
      consentNumber: Text(100),
      consentOn: Day,
    })
    .strict(),
);
const BankEventBody = registry.register(
  'MortgageSystemEvent',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('application-filed'), filedOn: Day }).strict(),
    z
      .object({
        kind: z.literal('decided'),
        approved: z.boolean(),
        reason: z.enum(['category-lost', 'bank']).optional(),
      })
      .strict(),
  ]),
);
const ApartmentFilter = z
  .object({
    rooms: z.coerce.number().int().positive().optional(),
    floor: z.coerce.number().int().optional(),
    minPriceQepik: z.coerce.number().int().nonnegative().optional(),
    maxPriceQepik: z.coerce.number().int().positive().optional(),
    building: z.string().max(50).optional(),
    state: z.enum(['free', 'selected', 'sold', 'released']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const IdParam = z.object({ id: z.uuid({ message: 'must be an id (UUID)' }) });
const BodyParam = z.object({
  body: z.string().regex(/^[a-z0-9-]{2,40}$/, { message: 'must be a body code' }),
});
const HolderParam = z.object({
  applicationId: z.uuid({ message: 'must be an application id (UUID)' }),
});
const HolderSelectionParam = HolderParam.extend({
  selectionId: z.uuid({ message: 'must be a selection id (UUID)' }),
});

// --- the answers (issue 15): what the handlers below send, typed from these schemas ---
const ApartmentState = z.enum(APARTMENT_STATES);
const SelectionState = z.enum(SELECTION_STATES);
const ApartmentRowSchema = z.object({
  id: z.uuid(),
  building: z.string(),
  number: z.string(),
  address: z.string(),
  rooms: z.number().int(),
  floor: z.number().int(),
  areaM2: z.number(),
  priceQepik: z.number().int(),
  state: ApartmentState,
});
const ApartmentHolderSchema = z.object({
  selectionId: z.uuid(),
  applicationId: z.uuid(),
  position: z
    .number()
    .int()
    .openapi({ description: '0 = the applicant (holds the lock); 1, 2 = waiting' }),
  state: SelectionState,
  dueCode: z.string().nullable(),
  dueOn: DaySchema.nullable(),
  paymentMethod: Method,
  noticeDueOn: DaySchema.nullable(),
  noticeOverdueAt: InstantSchema.nullable(),
});
const ApartmentPageSchema = registry.register(
  'ApartmentList',
  z.object({ items: z.array(ApartmentRowSchema) }),
);
const OfficerApartmentPageSchema = registry.register(
  'OfficerApartmentList',
  z.object({
    items: z.array(
      ApartmentRowSchema.extend({
        holders: z
          .array(ApartmentHolderSchema)
          .nullable()
          .openapi({ description: 'the live selections in queue order; null when none' }),
      }),
    ),
  }),
);
/** The content as drafted (003 §4.3–4.4); the domain reads each point as possibly missing. */
const AnnouncementContentSchema = z.object({
  buildingAddress: z.string().optional(),
  buildingAreaM2: z.number().optional(),
  landAreaM2: z.number().optional(),
  offers: z
    .array(
      z.object({ rooms: z.number().int(), count: z.number().int(), priceQepik: z.number().int() }),
    )
    .optional(),
  howToApply: z.string().optional(),
  completionDate: DaySchema.optional(),
  website: z.string().optional(),
  selectionStartsOn: DaySchema.optional(),
  selectionEndsOn: DaySchema.optional(),
  generalContractor: z
    .object({ name: z.string().optional(), address: z.string().optional() })
    .optional(),
  paymentMethod: z.enum(PAYMENT_METHODS).optional(),
  electronic: z.boolean().optional(),
  masterPlan: z.string().optional(),
  agentBanks: z
    .array(z.object({ name: z.string(), headOffice: z.string(), branches: z.array(z.string()) }))
    .optional(),
});
const AnnouncementSchema = registry.register(
  'Announcement',
  z.object({
    id: z.uuid(),
    status: z.enum(ANNOUNCEMENT_STATUSES),
    paymentMethod: z.enum(PAYMENT_METHODS),
    builtPercent: z.number(),
    selectionStartsOn: DaySchema,
    selectionEndsOn: DaySchema,
    publishedOn: DaySchema.nullable(),
    content: AnnouncementContentSchema,
    refusal: z
      .object({
        problems: z.array(
          z.object({ field: z.string(), message: z.string(), citation: z.string() }),
        ),
      })
      .nullable(),
    apartments: z.object({
      total: z.number().int(),
      free: z.number().int(),
      selected: z.number().int(),
      sold: z.number().int(),
      released: z.number().int(),
    }),
  }),
);
const AnnouncementListSchema = registry.register(
  'AnnouncementList',
  z.object({ items: z.array(AnnouncementSchema) }),
);
const CabinetSchema = registry.register(
  'ApartmentCabinet',
  z.object({
    applicationId: z.uuid(),
    selections: z.array(
      z.object({
        selectionId: z.uuid(),
        announcementId: z.uuid(),
        apartment: z.object({
          id: z.uuid(),
          label: z.string(),
          rooms: z.number().int(),
          floor: z.number().int(),
          priceQepik: z.number().int(),
          state: ApartmentState,
        }),
        role: z.enum(['applicant', 'waiting']),
        waitingPosition: z.union([z.literal(1), z.literal(2)]).optional(),
        state: SelectionState,
        paymentMethod: Method,
        notary: z.object({ name: z.string(), address: z.string(), date: DaySchema }).nullable(),
        deadline: z
          .object({ code: z.string(), dueOn: DaySchema, workingDaysLeft: z.number().int() })
          .optional(),
        noticeDueOn: DaySchema.nullable(),
        cancellation: z
          .object({ ground: z.string(), citation: z.string(), reason: z.string() })
          .optional(),
        preApprovalRenewalNeeded: z.literal(true).optional().openapi({
          description: '003 §5.5-3: promoted with an approval over a year old: a new one is needed',
        }),
      }),
    ),
    notices: z.array(
      z.object({
        template: z.string(),
        subject: z.string(),
        text: z.string(),
        created_at: InstantSchema,
      }),
    ),
  }),
);
const SelectedSchema = z.object({
  selectionId: z.uuid(),
  position: z.literal(0),
  noticeDueOn: DaySchema.openapi({ description: 'the §6.1 notice is due by this day' }),
});
const WaitingSchema = z.object({
  selectionId: z.uuid(),
  slot: z.union([z.literal(1), z.literal(2)]),
  position: z.union([z.literal(1), z.literal(2)]),
});
const CancelledFields = {
  selectionId: z.uuid(),
  ground: z.string().openapi({ description: 'the point the cancellation rests on' }),
  promoted: z
    .uuid()
    .optional()
    .openapi({ description: 'the waiting selection that became the applicant' }),
  lockLifted: z.boolean(),
};
const CancelledSchema = z.object({ ...CancelledFields, state: z.literal('cancelled') });
const WithdrawnSchema = z.union([
  CancelledSchema,
  z.object({ selectionId: z.uuid(), state: z.literal('withdrawn') }),
]);
const SwitchedSchema = z.object({ selectionId: z.uuid(), paymentMethod: z.literal('own-funds') });
const NotaryDateRequestedSchema = z.object({ selectionId: z.uuid(), requestedAt: InstantSchema });
const PreApprovalStoredSchema = z.object({ id: z.uuid(), issuedOn: DaySchema });
const DraftedSchema = z.object({
  id: z.uuid(),
  status: z.literal('draft'),
  apartments: z.number().int().openapi({ description: 'how many apartments were drafted' }),
});
const PublishingSchema = z.object({ id: z.uuid(), status: z.literal('checking') });
const NotaryAppointedSchema = z.object({
  selectionId: z.uuid(),
  notice: z.enum(['first', 'new-date']),
});
const ContractRecordedSchema = z.object({ contractId: z.uuid(), selectionId: z.uuid() });
const ExchangeRecordedSchema = z.object({ exchangeId: z.uuid(), onceOnlyExempt: z.literal(true) });
const BankEventAcceptedSchema = z.object({
  selectionId: z.uuid(),
  accepted: z.enum(['application-filed', 'decided']),
});

/** method, path, summary, request body, the success answer's schema, other answers. */
const paths: [string, string, string, z.ZodType | undefined, z.ZodType, Record<number, string>][] =
  [
    [
      'get',
      '/api/v1/apartment-announcements',
      'Announcements open for selection (003 §4.3.8)',
      undefined,
      AnnouncementListSchema,
      {},
    ],
    [
      'get',
      '/api/v1/apartment-announcements/{id}/apartments',
      'Apartments of an announcement; filters rooms, floor, price, building, state',
      undefined,
      ApartmentPageSchema,
      { 400: 'bad filter' },
    ],
    [
      'get',
      '/api/v1/cabinet/{applicationId}/apartment',
      'The cabinet: selections, waiting position, deadlines in working days, notices',
      undefined,
      CabinetSchema,
      {},
    ],
    [
      'post',
      '/api/v1/cabinet/{applicationId}/selections',
      'Select one apartment; locked at once (003 §5.7)',
      SelectBody,
      SelectedSchema,
      { 201: 'selected', 409: 'locked, already selected, or not open' },
    ],
    [
      'post',
      '/api/v1/cabinet/{applicationId}/waiting-selections',
      'Take a waiting slot on a locked apartment (003 §5.7-1)',
      SelectBody,
      WaitingSchema,
      { 201: 'waiting', 409: 'no slot, or not allowed' },
    ],
    [
      'post',
      '/api/v1/cabinet/{applicationId}/selections/{selectionId}/withdraw',
      'Withdraw: the applicant refuses (003 §5.9); a waiting holder leaves',
      undefined,
      WithdrawnSchema,
      { 409: 'not live' },
    ],
    [
      'post',
      '/api/v1/cabinet/{applicationId}/selections/{selectionId}/switch-to-own-funds',
      'Buy with own funds (003 §6.5.2–6.5.3)',
      undefined,
      SwitchedSchema,
      { 409: 'not a mortgage' },
    ],
    [
      'post',
      '/api/v1/cabinet/{applicationId}/selections/{selectionId}/notary-date-request',
      'Ask for a new notary date (003 §6.2)',
      undefined,
      NotaryDateRequestedSchema,
      { 409: 'no date given yet' },
    ],
    [
      'post',
      '/api/v1/cabinet/{applicationId}/pre-approvals',
      'Upload the bank’s preliminary approval (003 §5.5-2)',
      PreApprovalBody,
      PreApprovalStoredSchema,
      { 201: 'stored', 409: 'not a live mortgage selection' },
    ],
    [
      'get',
      '/api/v1/officer/{body}/announcements',
      'All announcements with apartment counts by state',
      undefined,
      AnnouncementListSchema,
      {},
    ],
    [
      'post',
      '/api/v1/officer/{body}/announcements',
      'Draft an announcement with its apartments (003 §4.3–4.4)',
      DraftBody,
      DraftedSchema,
      { 201: 'drafted' },
    ],
    [
      'post',
      '/api/v1/officer/{body}/announcements/{id}/publish',
      'Check and publish (003 §3.5, §4.1–4.4)',
      undefined,
      PublishingSchema,
      { 202: 'checking', 409: 'not a draft' },
    ],
    [
      'get',
      '/api/v1/officer/{body}/announcements/{id}/apartments',
      'Apartments with their state and holders',
      undefined,
      OfficerApartmentPageSchema,
      {},
    ],
    [
      'post',
      '/api/v1/officer/{body}/selections/{id}/notary',
      'Name the notary and date (003 §6.2)',
      NotaryBody,
      NotaryAppointedSchema,
      { 409: 'not own funds' },
    ],
    [
      'post',
      '/api/v1/officer/{body}/selections/{id}/contract',
      'Record the signed contract (003 §7.2–7.3, §3.4)',
      ContractBody,
      ContractRecordedSchema,
      { 201: 'recorded', 409: 'not live' },
    ],
    [
      'post',
      '/api/v1/officer/{body}/selections/{id}/cancel',
      'Cancel with a reasoned decision (003 §5.9, §6.5.1)',
      CancelBody,
      CancelledSchema,
      { 409: 'not live' },
    ],
    [
      'post',
      '/api/v1/officer/{body}/exchanges',
      'Record an exchange with the Agency’s consent (003 §2.3–2.4)',
      ExchangeBody,
      ExchangeRecordedSchema,
      { 201: 'recorded', 409: 'the apartments cannot be exchanged in their states' },
    ],
    [
      'post',
      '/api/v1/mortgage-system/selections/{id}/events',
      'Bank application and decision from the mortgage e-system (003 §6.3–6.4)',
      BankEventBody,
      BankEventAcceptedSchema,
      { 409: 'not a live mortgage selection' },
    ],
  ];
/** The path parameters of a documented path, with the schemas the handlers parse them with. */
function pathParams(path: string): z.ZodObject | undefined {
  const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
  if (!names.length) return undefined;
  const all = { ...IdParam.shape, ...BodyParam.shape, ...HolderSelectionParam.shape };
  return z.object(Object.fromEntries(names.map((n) => [n, all[n as keyof typeof all]])));
}

for (const [method, path, summary, body, answer, extra] of paths) {
  // the success code: the one the route names (201, 202), else 200
  const success = Object.keys(extra).find((c) => c.startsWith('2')) ?? '200';
  const params = pathParams(path);
  registry.registerPath({
    method: method as 'get' | 'post',
    path,
    summary,
    request: {
      ...(params ? { params } : {}),
      // the list routes take the apartment filter as query parameters (declared, so checked)
      ...(path.endsWith('/apartments') ? { query: ApartmentFilter } : {}),
      ...(body ? { body: { content: { 'application/json': { schema: body } } } } : {}),
    },
    responses: {
      [success]: jsonResponse(extra[Number(success)] ?? 'ok', answer),
      ...Object.fromEntries(
        Object.entries(extra)
          .filter(([code]) => Number(code) >= 400)
          .map(([code, d]) => [code, problemResponse(d)]),
      ),
      400: problemResponse('invalid input; every field at fault is named'),
      404: problemResponse('not found'),
    },
  });
}

const citizen = (req: Request) => `citizen:${req.principal?.id ?? 'portal'}`;
const officer = (req: Request) => `officer:${principalOf(req).id}`;

async function apartments(
  pool: Pool,
  announcementId: string,
  f: z.infer<typeof ApartmentFilter>,
  withHolders: boolean,
) {
  const { rows } = await pool.query(
    `SELECT p.id, p.building, p.number, p.address, p.rooms, p.floor, p.area_m2::float AS "areaM2",
            p.price_qepik::bigint::float8 AS "priceQepik", p.state
            ${
              withHolders
                ? `, (SELECT json_agg(json_build_object('selectionId', s.id, 'applicationId', s.application_id, 'position', s.position,
                        'state', s.state, 'dueCode', s.due_code, 'dueOn', s.due_on, 'paymentMethod', s.payment_method,
                        'noticeDueOn', s.notice_due_on, 'noticeOverdueAt', s.notice_overdue_at) ORDER BY s.position)
                      FROM apartment_selection s WHERE s.apartment_id = p.id AND s.state = 'active') AS holders`
                : ''
            }
       FROM apartment p
      WHERE p.announcement_id = $1
        AND ($2::int IS NULL OR p.rooms = $2) AND ($3::int IS NULL OR p.floor = $3)
        AND ($4::bigint IS NULL OR p.price_qepik >= $4) AND ($5::bigint IS NULL OR p.price_qepik <= $5)
        AND ($6::text IS NULL OR p.building = $6) AND ($7::text IS NULL OR p.state = $7)
      ORDER BY p.building, p.floor, p.number LIMIT $8 OFFSET $9`,
    [
      announcementId,
      f.rooms ?? null,
      f.floor ?? null,
      f.minPriceQepik ?? null,
      f.maxPriceQepik ?? null,
      f.building ?? null,
      f.state ?? null,
      f.limit,
      f.offset,
    ],
  );
  return rows;
}

export function apartmentsRouter(deps: { pool: Pool; onEngineMessagesQueued(): void }): Router {
  const r = Router();
  const { pool } = deps;
  const done = deps.onEngineMessagesQueued;

  // --- the citizen portal (acts for the cabinet holder) ---
  r.use(['/api/v1/apartment-announcements', '/api/v1/cabinet'], requireRole('portal'));
  r.get('/api/v1/apartment-announcements', async (_req, res) => {
    res.json({
      items: await listAnnouncements(pool, { status: ['open'] }),
    } satisfies z.infer<typeof AnnouncementListSchema>);
  });
  r.get('/api/v1/apartment-announcements/:id/apartments', async (req, res) => {
    const { id } = parse(IdParam, req, 'params');
    const f = parse(ApartmentFilter, req, 'query');
    res.json({
      items: await apartments(pool, id, { ...f, state: f.state ?? 'free' }, false),
    } satisfies z.infer<typeof ApartmentPageSchema>);
  });
  r.get('/api/v1/cabinet/:applicationId/apartment', async (req, res) => {
    const { applicationId } = parse(HolderParam, req, 'params');
    res.json((await cabinetView(pool, applicationId)) satisfies z.infer<typeof CabinetSchema>);
  });
  r.post('/api/v1/cabinet/:applicationId/selections', async (req, res) => {
    const { applicationId } = parse(HolderParam, req, 'params');
    const body = parse(SelectBody, req, 'body');
    const out = await selectApartment(pool, { applicationId, ...body }, citizen(req)).catch(
      caseProblem,
    );
    done();
    res.status(201).json(out satisfies z.infer<typeof SelectedSchema>);
  });
  r.post('/api/v1/cabinet/:applicationId/waiting-selections', async (req, res) => {
    const { applicationId } = parse(HolderParam, req, 'params');
    const body = parse(SelectBody, req, 'body');
    res
      .status(201)
      .json(
        (await takeWaitingSlot(pool, { applicationId, ...body }, citizen(req)).catch(
          caseProblem,
        )) satisfies z.infer<typeof WaitingSchema>,
      );
  });
  r.post('/api/v1/cabinet/:applicationId/selections/:selectionId/withdraw', async (req, res) => {
    const { applicationId, selectionId } = parse(HolderSelectionParam, req, 'params');
    const out = await withdrawSelection(pool, selectionId, applicationId, citizen(req)).catch(
      caseProblem,
    );
    done();
    res.json(out satisfies z.infer<typeof WithdrawnSchema>);
  });
  r.post(
    '/api/v1/cabinet/:applicationId/selections/:selectionId/switch-to-own-funds',
    async (req, res) => {
      const { applicationId, selectionId } = parse(HolderSelectionParam, req, 'params');
      const out = await switchToOwnFunds(pool, selectionId, applicationId, citizen(req)).catch(
        caseProblem,
      );
      done();
      res.json(out satisfies z.infer<typeof SwitchedSchema>);
    },
  );
  r.post(
    '/api/v1/cabinet/:applicationId/selections/:selectionId/notary-date-request',
    async (req, res) => {
      const { applicationId, selectionId } = parse(HolderSelectionParam, req, 'params');
      res.json(
        (await requestNotaryDate(pool, selectionId, applicationId, citizen(req)).catch(
          caseProblem,
        )) satisfies z.infer<typeof NotaryDateRequestedSchema>,
      );
    },
  );
  r.post('/api/v1/cabinet/:applicationId/pre-approvals', async (req, res) => {
    const { applicationId } = parse(HolderParam, req, 'params');
    const body = parse(PreApprovalBody, req, 'body');
    res
      .status(201)
      .json(
        (await uploadPreApproval(pool, applicationId, body, citizen(req)).catch(
          caseProblem,
        )) satisfies z.infer<typeof PreApprovalStoredSchema>,
      );
  });

  // --- MİDA officers (reviewers of the body 'mida') ---
  r.use('/api/v1/officer/:body', requireRole('reviewer', 'supervisor'), (req, _res, next) => {
    const { body } = parse(BodyParam, req, 'params');
    assertBody(principalOf(req), body);
    // 003: announcements, selections and contracts are MİDA's (the Agency and "MİDA" LLC).
    if (body !== 'mida')
      throw new HttpProblem(404, 'Not found', `the apartment phase is run by MİDA, not ${body}`, [
        { field: 'body', message: 'must be mida' },
      ]);
    next();
  });
  r.get('/api/v1/officer/:body/announcements', async (_req, res) => {
    res.json({
      items: await listAnnouncements(pool),
    } satisfies z.infer<typeof AnnouncementListSchema>);
  });
  r.post('/api/v1/officer/:body/announcements', async (req, res) => {
    const body = parse(DraftBody, req, 'body');
    res
      .status(201)
      .json(
        (await draftAnnouncement(pool, body, officer(req)).catch(caseProblem)) satisfies z.infer<
          typeof DraftedSchema
        >,
      );
  });
  r.post('/api/v1/officer/:body/announcements/:id/publish', async (req, res) => {
    const { id } = parse(IdParam, req, 'params');
    const out = await submitAnnouncement(pool, id, officer(req)).catch(caseProblem);
    done();
    res.status(202).json(out satisfies z.infer<typeof PublishingSchema>);
  });
  r.get('/api/v1/officer/:body/announcements/:id/apartments', async (req, res) => {
    const { id } = parse(IdParam, req, 'params');
    res.json({
      items: await apartments(pool, id, parse(ApartmentFilter, req, 'query'), true),
    } satisfies z.infer<typeof OfficerApartmentPageSchema>);
  });
  r.post('/api/v1/officer/:body/selections/:id/notary', async (req, res) => {
    const { id } = parse(IdParam, req, 'params');
    const out = await appointNotary(pool, id, parse(NotaryBody, req, 'body'), officer(req)).catch(
      caseProblem,
    );
    done();
    res.json(out satisfies z.infer<typeof NotaryAppointedSchema>);
  });
  r.post('/api/v1/officer/:body/selections/:id/contract', async (req, res) => {
    const { id } = parse(IdParam, req, 'params');
    const out = await recordContract(
      pool,
      id,
      parse(ContractBody, req, 'body'),
      officer(req),
    ).catch(caseProblem);
    done();
    res.status(201).json(out satisfies z.infer<typeof ContractRecordedSchema>);
  });
  r.post('/api/v1/officer/:body/selections/:id/cancel', async (req, res) => {
    const { id } = parse(IdParam, req, 'params');
    const body = parse(CancelBody, req, 'body');
    const out = await cancelSelection(pool, id, {
      ground: body.ground as never,
      reason: body.reason,
      actor: officer(req),
    }).catch(caseProblem);
    done();
    res.json(out satisfies z.infer<typeof CancelledSchema>);
  });
  r.post('/api/v1/officer/:body/exchanges', async (req, res) => {
    const body = parse(ExchangeBody, req, 'body');
    res
      .status(201)
      .json(
        (await recordExchange(pool, body, officer(req)).catch(caseProblem)) satisfies z.infer<
          typeof ExchangeRecordedSchema
        >,
      );
  });

  // --- the Mortgage and Credit Guarantee Fund's e-system (an outside system: role registry) ---
  r.post(
    '/api/v1/mortgage-system/selections/:id/events',
    requireRole('registry'),
    async (req, res) => {
      const { id } = parse(IdParam, req, 'params');
      const body = parse(BankEventBody, req, 'body');
      await recordBankEvent(pool, id, body, `mortgage-system:${principalOf(req).id}`).catch(
        caseProblem,
      );
      done();
      res.json({ selectionId: id, accepted: body.kind } satisfies z.infer<
        typeof BankEventAcceptedSchema
      >);
    },
  );
  return r;
}
