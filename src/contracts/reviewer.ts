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
  legalGround: string | null;
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
  legalGround: string;
  citation: string;
  reason: string;
  items: DiscrepancyItem[];
  decidedBy: string;
  decidedAt: string;
}

export interface CaseAuditEntry {
  actor: string;
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
  applicant: { fin: string | null; details: CaseRow };
  family: CaseRow[];
  documents: CaseRow[];
  checks: CaseCheck[];
  decisions: CaseDecision[];
  discrepancyRounds: CaseRow[];
  audit: CaseAuditEntry[];
  /** what the decision form may offer now */
  decisionOptions: { outcomes: string[] };
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
