// The reviewers' workbench (src/api/reviewer.ts).

/** GET /api/v1/review-tasks (`tasks`); the task of a case file. */
export interface ReviewTask {
  /** the engine's task id */
  taskId: string;
  /** 'application' or 'waitlist-case' */
  caseType: string;
  caseId: string;
  /** the case id when the case is an application */
  applicationId: string | null;
  processInstanceId: string;
  bpmnProcessId: string;
  elementId: string;
  /** the business key: the case id */
  businessKey: string | null;
  candidateGroups: string[];
  assignee: string | null;
  dueAt: string | null;
  followUpAt: string | null;
  createdAt: string;
  completedAt: string | null;
  cancelled: boolean;
  /** the recorded decision (or 'withdrawn') */
  outcome: string | null;
  overdueEscalatedAt: string | null;
  /** the registering body whose reviewers the task belongs to */
  body: string;
  /** application: its preferential category (1–11); waitlist case: the list kind */
  category: string | null;
  /** application: its registration number */
  registrationNumber: number | null;
  /** waitlist case: registration, seizure or transfer */
  caseKind: string | null;
  /** working days from today (Baku) to the due date; 0 = due today, negative = overdue */
  remainingWorkingDays: number | null;
  /** the applicant's name as the identity registry gave it to the identity check (null before);
   * a seizure or transfer case: the registered person's or representative's, fetched at opening */
  applicantName: PersonName | null;
  /** a seizure or transfer case whose person the identity registry does not know (no name) */
  applicantNotInRegistry: boolean;
  /** how many automated checks of the case failed */
  failedChecks: number;
  /** the assignee's display name */
  assigneeName: string | null;
}

export interface PersonName {
  lastName: string;
  firstName: string;
  patronymic: string | null;
}

/** A legal ground with its citation and text in both languages. */
export interface GroundText {
  code: string;
  citation: string;
  textAz: string;
  textEn: string;
}

export interface InboxCounts {
  total: number;
  overdue: number;
  dueWithin3: number;
  unassigned: number;
  assignedToMe: number;
}

/** GET /api/v1/review-tasks */
export interface InboxPage {
  total: number;
  limit: number;
  offset: number;
  counts: InboxCounts;
  tasks: ReviewTask[];
}

/** POST /api/v1/review-tasks/{taskId}/reassign (supervisors) */
export interface ReassignRequest {
  assignee: string;
}

/** POST /api/v1/review-tasks/{taskId}/reassign */
export interface Reassigned {
  taskId: string;
  assignee: string;
  previous: string | null;
}

/** A row of the case file: the columns of its table. */
export type CaseRow = Record<string, unknown>;

export interface CaseCheck {
  name: string;
  passed: boolean | null;
  /** the citation of the ground applied */
  legalGround: string | null;
  /** the ground applied, in words */
  ground: GroundText | null;
  /** why it failed: stable codes (docs/registries.md), empty when passed */
  reasons: string[];
  /** observations that do not fail the check: stable codes */
  notes: string[];
  /** facts the check recorded besides reasons and notes (counts, years, categories) */
  facts: Record<string, unknown>;
  detail: unknown;
  checkedAt: string | null;
  sources: string[];
}

/** What a discrepancy decision says is wrong, per field or document. */
export interface DiscrepancyItem {
  target: 'field' | 'document';
  name: string;
  comment: string;
}

export interface CaseDecision {
  outcome: string;
  /** the ground's code; its citation and text in both languages follow */
  legalGround: string;
  citation: string;
  groundTextAz: string;
  groundTextEn: string;
  reason: string;
  items: DiscrepancyItem[];
  decidedBy: string;
  /** the deciding account's display name and roles (null: not a staff account) */
  decidedByName: ActorName | null;
  decidedAt: string;
}

/** A staff account as a case file names it: display name and roles. */
export interface ActorName {
  displayName: string;
  roles: string[];
}

export interface CaseAuditEntry {
  /** an account id, `system:<component>`, or the portal */
  actor: string;
  /** the account's display name and roles (null: not a staff account) */
  actorName: ActorName | null;
  action: string;
  legalGround: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  at: string;
}

/** GET /api/v1/review-tasks/{taskId}/case */
export interface CaseFile {
  task: ReviewTask & {
    deadline: { dueAt: string | null; dueDate: string | null; citation: string | null };
  };
  case: CaseRow & { type: string; id: string };
  applicant: {
    fin: string | null;
    /** as the identity registry gave them to the identity check; null before that check */
    name: PersonName | null;
    birthDate: string | null;
    /** the registry was asked and does not know the person (a seizure or transfer case) */
    notInRegistry: boolean;
    details: CaseRow;
  };
  family: CaseRow[];
  documents: CaseRow[];
  checks: CaseCheck[];
  decisions: CaseDecision[];
  discrepancyRounds: CaseRow[];
  audit: CaseAuditEntry[];
  /** what the decision form may offer now: outcomes, and the grounds that apply to the case's state */
  decisionOptions: { outcomes: string[]; grounds: LegalGround[] };
}

/** application: grant, refuse, discrepancy, extend; waitlist cases: register, remove, retain, transfer */
export type DecisionOutcome =
  'grant' | 'refuse' | 'discrepancy' | 'extend' | 'register' | 'remove' | 'retain' | 'transfer';

/** POST /api/v1/review-tasks/{taskId}/decision */
export interface DecisionRequest {
  outcome: DecisionOutcome;
  /** a code from GET /api/v1/legal-grounds */
  legalGround: string;
  reason: string;
  /** a discrepancy: what is wrong */
  items?: DiscrepancyItem[];
}

/** POST /api/v1/review-tasks/{taskId}/decision */
export interface DecisionRecorded {
  decisionId: string;
}

/** GET /api/v1/legal-grounds (a list) */
export interface LegalGround {
  code: string;
  citation: string;
  decision: string;
  process: string;
  textAz: string;
  textEn: string;
}
