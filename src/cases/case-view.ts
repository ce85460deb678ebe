import type { Pool } from '../db/pool.js';
import { CATEGORY_EVIDENCE_SOURCE } from '../domain/eligibility.js';
import { civilDateInBaku } from '../domain/calendar.js';
import { getApplication } from './application.js';
import { accountNames } from './account-names.js';
import { auditTrail } from './audit.js';
import { periodLength } from './deadlines.js';
import { ELIGIBILITY_GROUNDS } from '../domain/eligibility-grounds.js';
import { LEGAL_GROUNDS } from '../domain/legal-grounds.js';
import type {
  CaseCheck,
  CaseAuditEntry,
  CaseDecision,
  GroundText,
  LegalGround as DecisionGround,
  PersonName,
} from '../contracts/reviewer.js';
import type { InboxTask } from './reviewer-inbox.js';

/**
 * What a reviewer sees of one task's case (domain brief §8, a reasoned decision needs the whole
 * file): the deadline with its citation, the applicant and family, the documents (metadata;
 * contents through the document endpoint), the registry checks with the registries asked,
 * earlier decisions and discrepancy rounds, and the audit trail.
 */

/** The legal period of each review process, where no deadline audit entry names it. */
const REVIEW_PERIOD_OF_PROCESS: Record<string, string> = {
  'application-review': 'application-review', // 003 §5.5
  'waitlist-registration': 'waitlist-registration-decision', // Housing Code 51.5
  'waitlist-slot-seizure': 'seizure-decision', // Housing Code 55.2
  'registration-transfer': 'transfer-decision', // 002 §2.6
};

/**
 * Audit actions that set or move a review deadline, each with its citation; a discrepancy
 * round's end (resubmission or lapse) opens a new review period (000 §2.4 with 003 §5.5).
 */
const DEADLINE_ACTIONS = [
  'review-deadline-set',
  'review-extended',
  'decision-deadline-set',
  'resubmitted',
  'review-on-file-as-it-stands',
];

/**
 * The deadline's citation: the process sets `reviewDeadlineCitation` from the same legal period
 * it records in the audit entry that set the deadline; the latest such entry wins (an extension,
 * 003 §5.5). Without one, the process's period in legal_period.
 */
export async function deadlineCitation(
  pool: Pool,
  task: Pick<InboxTask, 'caseType' | 'caseId' | 'bpmnProcessId'>,
): Promise<string | null> {
  const { rows } = await pool.query<{ legalGround: string }>(
    `SELECT legal_ground AS "legalGround" FROM audit_event
      WHERE case_type = $1 AND case_id = $2 AND action = ANY($3) AND legal_ground IS NOT NULL
      ORDER BY at DESC, id DESC LIMIT 1`,
    [task.caseType, task.caseId, DEADLINE_ACTIONS],
  );
  if (rows[0]) return rows[0].legalGround;
  const code = REVIEW_PERIOD_OF_PROCESS[task.bpmnProcessId];
  if (!code) return null;
  const p = await pool.query<{ citation: string }>(
    'SELECT citation FROM legal_period WHERE code = $1',
    [code],
  );
  return p.rows[0]?.citation ?? null;
}

/** The registries each automated check asks (docs/registries.md). */
export function checkSources(name: string, category: number | null): string[] {
  switch (name) {
    case 'identity':
      return ['identity'];
    case 'civil-status':
      return ['civil-status'];
    case 'property':
    case 'housingNeed':
      return ['property'];
    case 'once-only-right':
      return ['applications']; // this service's own register of applications (003 §2.2)
    case 'category-evidence': {
      const src =
        category !== null && category in CATEGORY_EVIDENCE_SOURCE
          ? CATEGORY_EVIDENCE_SOURCE[category as keyof typeof CATEGORY_EVIDENCE_SOURCE]
          : undefined;
      return src ? ['identity', src] : ['identity'];
    }
    case 'window': // transfer: the death date from the civil-status registry wins (002 §2.3)
      return ['civil-status'];
    case 'review': // transfer: the family's remaining dwellings, 3.1.2
      return ['property'];
    default:
      return [];
  }
}

export type { CaseCheck, CaseDecision };

/** The grounds the automated checks cite (src/domain), by code and by citation. */
const CHECK_GROUNDS: GroundText[] = [
  ...Object.values(ELIGIBILITY_GROUNDS),
  ...Object.values(LEGAL_GROUNDS),
].map((g) => ({ code: g.code, citation: g.citation, textAz: g.az, textEn: g.en }));

const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

/**
 * A recorded check as the reviewer reads it: its ground in words (by the code the check
 * recorded, else its citation), its reasons and notes as codes the screens put into words, and
 * the other facts it recorded (counts, categories, years).
 */
export function describeCheck(c: {
  name: string;
  passed: boolean | null;
  legalGround: string | null;
  detail: unknown;
  checkedAt: string | null;
  sources: string[];
}): CaseCheck {
  // a check recorded as a list (e.g. the documents fetched for a transfer) is one fact
  const d = (
    Array.isArray(c.detail)
      ? { values: c.detail }
      : c.detail && typeof c.detail === 'object'
        ? c.detail
        : {}
  ) as Record<string, unknown>;
  const { groundCode, reasons, notes, passed: _p, citation: _c, legalGround: _l, ...facts } = d;
  const ground =
    CHECK_GROUNDS.find((g) => g.code === groundCode) ??
    CHECK_GROUNDS.find((g) => g.code === c.name) ??
    CHECK_GROUNDS.find((g) => g.citation === c.legalGround) ??
    null;
  return {
    ...c,
    ground,
    reasons: strings(reasons),
    notes: strings(notes),
    facts,
  };
}

export interface CaseView {
  task: InboxTask & {
    deadline: { dueAt: string | null; dueDate: string | null; citation: string | null };
  };
  case: Record<string, unknown> & { type: string; id: string };
  applicant: {
    fin: string | null;
    name: PersonName | null;
    birthDate: string | null;
    notInRegistry: boolean;
    details: Record<string, unknown>;
  };
  family: Record<string, unknown>[];
  documents: Record<string, unknown>[];
  checks: CaseCheck[];
  decisions: CaseDecision[];
  discrepancyRounds: Record<string, unknown>[];
  audit: CaseAuditEntry[];
  /** what the decision form may offer now: outcomes with grounds for this process, minus spent
   * ones, and the grounds that apply to the case's state */
  decisionOptions: { outcomes: string[]; grounds: DecisionGround[] };
}

async function decisionsOf(pool: Pool, caseId: string): Promise<CaseDecision[]> {
  const { rows } = await pool.query<Omit<CaseDecision, 'decidedByName'>>(
    `SELECT d.outcome, d.legal_ground AS "legalGround", g.citation, g.text_az AS "groundTextAz",
            g.text_en AS "groundTextEn", d.reason,
            COALESCE(d.details->'items', '[]'::jsonb) AS items, d.decided_by AS "decidedBy", d.decided_at AS "decidedAt"
       FROM decision d JOIN legal_ground g ON g.code = d.legal_ground
      WHERE d.case_id = $1 ORDER BY d.decided_at, d.id`,
    [caseId],
  );
  return rows.map((d) => ({ ...d, decidedByName: null }));
}

const unnamed = (trail: Omit<CaseAuditEntry, 'actorName'>[]): CaseAuditEntry[] =>
  trail.map((e) => ({ ...e, actorName: null }));

/** Who acted, by name and role rather than account id (issue 15), in the trail and the decisions. */
async function withActorNames(pool: Pool, view: CaseView): Promise<CaseView> {
  const names = await accountNames(pool, [
    ...view.audit.map((e) => e.actor),
    ...view.decisions.map((d) => d.decidedBy),
  ]);
  return {
    ...view,
    audit: view.audit.map((e) => ({ ...e, actorName: names.get(e.actor) ?? null })),
    decisions: view.decisions.map((d) => ({ ...d, decidedByName: names.get(d.decidedBy) ?? null })),
  };
}

async function decisionOutcomes(
  pool: Pool,
  task: InboxTask,
  decisions: CaseDecision[],
  rounds: number,
): Promise<string[]> {
  const { rows } = await pool.query<{ decision: string }>(
    `SELECT DISTINCT decision FROM legal_ground WHERE process = $1 ORDER BY decision`,
    [task.bpmnProcessId],
  );
  let outcomes = rows.map((r) => r.decision);
  // 003 §5.5: one extension; the rounds of discrepancy are limited (legal_period 'discrepancy-rounds').
  if (decisions.some((d) => d.outcome === 'extend'))
    outcomes = outcomes.filter((o) => o !== 'extend');
  if (
    outcomes.includes('discrepancy') &&
    rounds >= (await periodLength(pool, 'discrepancy-rounds'))
  )
    outcomes = outcomes.filter((o) => o !== 'discrepancy');
  return outcomes;
}

/**
 * The grounds of the process for the outcomes offered, minus those that fit another state of
 * the case (legal_ground.applies_when, migration 1732240000141): the lapsed-deadline refusal
 * only after the discrepancy round went unanswered (003 §5.5; 000 §2.4), the plain category
 * refusal only when none did; withdrawn grounds never.
 */
async function applicableGrounds(
  pool: Pool,
  task: InboxTask,
  outcomes: string[],
  state: { discrepancyLapsed: boolean },
): Promise<DecisionGround[]> {
  const { rows } = await pool.query<DecisionGround & { appliesWhen: string | null }>(
    `SELECT code, citation, decision, process, text_az AS "textAz", text_en AS "textEn",
            applies_when AS "appliesWhen"
       FROM legal_ground
      WHERE process = $1 AND decision = ANY($2) AND withdrawn_at IS NULL ORDER BY decision, code`,
    [task.bpmnProcessId, outcomes],
  );
  return rows
    .filter(
      (g) =>
        g.appliesWhen === null ||
        (g.appliesWhen === 'discrepancy-lapsed' && state.discrepancyLapsed) ||
        (g.appliesWhen === 'no-discrepancy-lapsed' && !state.discrepancyLapsed),
    )
    .map(({ appliesWhen: _a, ...g }) => g);
}

function withDeadline(task: InboxTask, citation: string | null): CaseView['task'] {
  return {
    ...task,
    deadline: {
      dueAt: task.dueAt,
      dueDate: task.dueAt ? civilDateInBaku(new Date(task.dueAt)) : null,
      citation,
    },
  };
}

const FAMILY_FIELDS = ['maritalStatus', 'marriageCountry', 'spouse', 'children', 'singleParent'];

async function applicationCase(pool: Pool, task: InboxTask): Promise<CaseView | undefined> {
  const id = task.caseId;
  const app = await getApplication(pool, id);
  if (!app) return undefined;
  const [own, documents, rounds, decisions, audit, citation] = await Promise.all([
    pool.query<{
      fin: string | null;
      spouseFin: string | null;
      body: string;
      name: PersonName | null;
      birthDate: string | null;
    }>(
      `SELECT applicant_fin AS fin, spouse_fin AS "spouseFin", registering_body AS body,
              applicant_name AS name, to_char(applicant_birth_date, 'YYYY-MM-DD') AS "birthDate"
         FROM application WHERE id = $1`,
      [id],
    ),
    pool.query(
      `SELECT id, kind, content_type AS "contentType", size_bytes AS "sizeBytes", uploaded_at AS "uploadedAt",
              to_char(issue_date, 'YYYY-MM-DD') AS "issueDate", issuer, notarial_barcode AS "notarialBarcode", note
         FROM application_document WHERE application_id = $1 AND replaced_at IS NULL ORDER BY uploaded_at, id`,
      [id],
    ),
    pool.query(
      `SELECT round, items, to_char(due_date, 'YYYY-MM-DD') AS "dueDate", opened_at AS "openedAt",
              resubmitted_at AS "resubmittedAt", lapsed_at AS "lapsedAt"
         FROM discrepancy_round WHERE application_id = $1 ORDER BY round`,
      [id],
    ),
    decisionsOf(pool, id),
    auditTrail(pool, 'application', id).then(unnamed),
    deadlineCitation(pool, task),
  ]);
  const outcomes = await decisionOutcomes(pool, task, decisions, rounds.rows.length);
  const grounds = await applicableGrounds(pool, task, outcomes, {
    discrepancyLapsed: rounds.rows.some((r) => (r as { lapsedAt: unknown }).lapsedAt !== null),
  });
  const form = app.form as Record<string, unknown>;
  const details: Record<string, unknown> = {};
  const familyForm: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(form))
    (FAMILY_FIELDS.includes(k) ? familyForm : details)[k] = v;
  const family: Record<string, unknown>[] = [];
  const spouse = familyForm.spouse as
    { fin?: string; foreign?: Record<string, string> } | undefined;
  if (spouse)
    family.push({ relation: 'spouse', fin: spouse.fin ?? null, foreign: spouse.foreign ?? null });
  for (const c of (familyForm.children as { birthDate: string }[] | undefined) ?? [])
    family.push({ relation: 'child', birthDate: c.birthDate });
  return {
    task: withDeadline(task, citation),
    case: {
      type: 'application',
      id,
      status: app.status,
      registrationNumber: app.registrationNumber,
      category: app.category,
      submittedAt: app.submittedAt,
      reviewDueAt: app.reviewDueAt,
      body: own.rows[0]?.body,
      maritalStatus: familyForm.maritalStatus ?? null,
      singleParent: familyForm.singleParent ?? null,
      marriageCountry: familyForm.marriageCountry ?? null,
    },
    applicant: {
      fin: own.rows[0]?.fin ?? null,
      name: own.rows[0]?.name ?? null,
      birthDate: own.rows[0]?.birthDate ?? null,
      notInRegistry: false,
      details,
    },
    family,
    documents: documents.rows,
    checks: app.checks.map((c) =>
      describeCheck({ ...c, sources: checkSources(c.name, app.category) }),
    ),
    decisions,
    discrepancyRounds: rounds.rows,
    audit,
    decisionOptions: { outcomes, grounds },
  };
}

async function waitlistCase(pool: Pool, task: InboxTask): Promise<CaseView | undefined> {
  const id = task.caseId;
  // The same fields GET /api/v1/waitlist/cases/{id} and …/transfer-cases/{id} expose.
  const { rows } = await pool.query(
    `SELECT c.id, c.kind, c.body_code AS body, c.entry_id AS "entryId", c.list_kind AS "listKind", c.status, c.outcome,
            c.ground, c.source, to_char(c.established_on, 'YYYY-MM-DD') AS "establishedOn",
            to_char(c.documents_received_on, 'YYYY-MM-DD') AS "documentsReceivedOn", c.documents,
            c.decision_due_at AS "decisionDueAt", c.decided_at AS "decidedAt", c.final_at AS "finalAt",
            c.applicant_fin AS "applicantFin", c.details, e.registered_fin AS "registeredFin",
            c.applicant_name AS "applicantName",
            to_char(c.applicant_birth_date, 'YYYY-MM-DD') AS "applicantBirthDate",
            c.applicant_looked_up_at IS NOT NULL AND c.applicant_name IS NULL AS "notInRegistry"
       FROM waitlist_case c LEFT JOIN waitlist_entry e ON e.id = c.entry_id WHERE c.id = $1`,
    [id],
  );
  const c = rows[0] as
    | (Record<string, unknown> & {
        kind: string;
        entryId: string | null;
        applicantFin: string | null;
        registeredFin: string | null;
        applicantName: PersonName | null;
        applicantBirthDate: string | null;
        notInRegistry: boolean;
        details: Record<string, unknown>;
        documents: Record<string, unknown>[];
      })
    | undefined;
  if (!c) return undefined;
  const {
    details,
    documents,
    applicantFin,
    registeredFin,
    applicantName,
    applicantBirthDate,
    notInRegistry,
    ...rest
  } = c;
  let family: Record<string, unknown>[] = [];
  if (c.kind === 'registration') {
    family = (details.family as Record<string, unknown>[] | undefined) ?? [];
  } else if (c.kind === 'transfer') {
    const s = await pool.query(
      `SELECT fin, relation, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", adult, representative, signed
         FROM transfer_signatory WHERE case_id = $1 ORDER BY representative DESC, id`,
      [id],
    );
    family = s.rows;
  } else if (c.entryId) {
    const m = await pool.query(
      `SELECT fin, relation, to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", adult
         FROM waitlist_family_member WHERE entry_id = $1 ORDER BY id`,
      [c.entryId],
    );
    family = m.rows;
  }
  const rawChecks = (details.checks as Record<string, unknown> | undefined) ?? {};
  const checks: CaseCheck[] = Object.entries(rawChecks).map(([name, detail]) => {
    const d = detail as { passed?: boolean; citation?: string; legalGround?: string } | null;
    return describeCheck({
      name,
      passed: typeof d?.passed === 'boolean' ? d.passed : null,
      legalGround: d?.citation ?? d?.legalGround ?? null,
      detail,
      checkedAt: null,
      sources: checkSources(name, null),
    });
  });
  const applicantDetails: Record<string, unknown> = {};
  for (const k of [
    'groundsOfNeed',
    'needDegree',
    'seniorityDate',
    'publicBenefit',
    'worsenedHousingOn',
    'dwellings',
    'contact',
    'variant',
    'via',
    'event',
    'receipt',
    'deficiencies',
    'deadlines',
    'note',
  ])
    if (details[k] !== undefined) applicantDetails[k] = details[k];
  const [decisions, audit, citation] = await Promise.all([
    decisionsOf(pool, id),
    auditTrail(pool, 'waitlist-case', id).then(unnamed),
    deadlineCitation(pool, task),
  ]);
  const outcomes = await decisionOutcomes(pool, task, decisions, 0);
  return {
    task: withDeadline(task, citation),
    case: { type: 'waitlist-case', ...rest, id },
    applicant: {
      fin: applicantFin ?? registeredFin ?? null,
      // fetched from the identity registry when the case opened (migration 1732240000181)
      name: applicantName,
      birthDate: applicantBirthDate,
      notInRegistry,
      details: applicantDetails,
    },
    family,
    documents: documents ?? [],
    checks,
    decisions,
    discrepancyRounds: [],
    audit,
    decisionOptions: {
      outcomes,
      grounds: await applicableGrounds(pool, task, outcomes, { discrepancyLapsed: false }),
    },
  };
}

export async function getCaseView(pool: Pool, task: InboxTask): Promise<CaseView | undefined> {
  const view = await (task.caseType === 'application'
    ? applicationCase(pool, task)
    : waitlistCase(pool, task));
  return view && withActorNames(pool, view);
}

/** A stored document of the task's case (an application's upload), with its content. */
export async function getCaseDocument(
  pool: Pool,
  task: Pick<InboxTask, 'caseType' | 'applicationId'>,
  documentId: string,
): Promise<{ contentType: string; content: Buffer; kind: string } | undefined> {
  if (task.caseType !== 'application' || !task.applicationId) return undefined;
  const { rows } = await pool.query<{ contentType: string; content: Buffer; kind: string }>(
    `SELECT content_type AS "contentType", content, kind FROM application_document
      WHERE id = $1 AND application_id = $2`,
    [documentId, task.applicationId],
  );
  return rows[0];
}
