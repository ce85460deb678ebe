// The operator console's API (src/api/operator.ts, src/api/operator-dashboard.ts).

/** incident: running with an open incident; active: running without one. */
export type InstanceState = 'active' | 'completed' | 'incident' | 'cancelled';

/**
 * GET /api/v1/operator/process-instances (a Page of these). Ids are the engine's (Operaton);
 * `bpmnProcessId` is the model's process id.
 */
export interface InstanceSummary {
  id: string;
  bpmnProcessId: string;
  version: number;
  processDefinitionId: string;
  /** the business key: the case id */
  businessKey: string | null;
  state: InstanceState;
  startedAt: string;
  endedAt: string | null;
  /** the calling instance (call activity) */
  parentId: string | null;
  caseType: string | null;
  caseId: string | null;
  /** open incidents of this instance and of the instances it called */
  incidentCount: number;
  /** an application's registration number (what people call the case), when the case is one */
  registrationNumber?: number | null;
  /** the applicant's name from the identity check, when known */
  applicantName?: { lastName: string; firstName: string; patronymic: string | null } | null;
}

/** Per BPMN element: its running, ended and failed element instances. */
export interface ElementState {
  elementId: string;
  active: number;
  completed: number;
  terminated: number;
  incidents: number;
}

/** GET /api/v1/operator/process-definitions/{id}/elements */
export interface DefinitionElements {
  elements: ElementState[];
}

export interface HistoryStep {
  id: string;
  elementId: string;
  elementName: string | null;
  /** the engine's activity type, e.g. userTask, serviceTask, callActivity */
  elementType: string;
  state: 'active' | 'completed' | 'terminated';
  startedAt: string;
  endedAt: string | null;
  calledProcessInstanceId: string | null;
  assignee: string | null;
}

export interface Variable {
  name: string;
  value: unknown;
  type: string;
  /** null: the instance itself; else the activity instance it is local to */
  scope: string | null;
}

/** GET /api/v1/operator/incidents (a Page of these) */
export interface Incident {
  id: string;
  processInstanceId: string;
  processDefinitionId: string | null;
  bpmnProcessId: string;
  elementId: string;
  /** failedJob, failedExternalTask or a custom type */
  incidentType: string;
  /** the failed job or external task */
  configuration: string | null;
  errorMessage: string;
  state: 'active' | 'resolved' | 'deleted';
  createdAt: string;
  resolvedAt: string | null;
  causeIncidentId: string | null;
  rootCauseIncidentId: string | null;
}

/** A review task of the case: its due time and the rule it comes from. */
export interface CaseDeadline {
  taskId: string;
  elementId: string;
  dueAt: string | null;
  citation: string | null;
  assignee: string | null;
  candidateGroups: string[];
  overdueEscalatedAt: string | null;
}

/** GET /api/v1/operator/process-instances/{id} */
export interface InstanceDetail {
  instance: InstanceSummary;
  elements: ElementState[];
  history: HistoryStep[];
  variables: Variable[];
  incidents: Incident[];
  deadlines: CaseDeadline[];
  /** the instance in the engine's Cockpit, for what this console does not show */
  cockpitUrl: string | null;
}

export type IncidentActionStatus =
  'retried' | 'resolved' | 'not-found' | 'already-resolved' | 'refused' | 'failed';

/** POST /api/v1/operator/incidents/{id}/retry and …/resolve; one of BatchRetryResult */
export interface IncidentActionResult {
  id: string;
  status: IncidentActionStatus;
  detail?: string;
}

/** POST /api/v1/operator/incidents/{id}/retry */
export interface RetryRequest {
  retries: number;
}

/** POST /api/v1/operator/incidents/retry */
export interface BatchRetryRequest {
  ids: string[];
  retries: number;
}

/** POST /api/v1/operator/incidents/retry: one result per id */
export interface BatchRetryResult {
  results: IncidentActionResult[];
}

/** GET /api/v1/operator/deadlines */
export interface DeadlineDashboard {
  at: string;
  /** today in Baku, YYYY-MM-DD */
  today: string;
  /** the last day counted as due soon (a working day) */
  dueSoonUntil: string;
  dueSoonWorkingDays: number;
  processes: {
    bpmnProcessId: string;
    open: number;
    overdue: number;
    dueToday: number;
    dueSoon: number;
  }[];
  bodies: { body: string; open: number; assigned: number; unassigned: number; overdue: number }[];
}

/**
 * GET /api/v1/operator/notice-deliveries (a Page of these): a decision notice's delivery within
 * its legal period (Housing Code 51.6, 53.3, 55.2), or a paper delivery for a citizen with no
 * address.
 */
export interface NoticeDelivery {
  id: string;
  caseType: string;
  caseId: string;
  template: string;
  /** electronic: confirmed when a channel sent it; paper: an operator marks it delivered */
  route: 'electronic' | 'paper';
  periodCode: string | null;
  citation: string | null;
  decidedOn: string | null;
  dueDate: string | null;
  dueAt: string | null;
  deliveredAt: string | null;
  deliveredOn: string | null;
  deliveredBy: string | null;
  deliveryNote: string | null;
  /** the period ended (at the time asked) without delivery */
  overdue: boolean;
  lang: 'az' | 'en';
  /** the notice to print for the post (paper route) */
  subject: string;
  body: string;
  createdAt: string;
}

/** POST /api/v1/operator/notice-deliveries/{id}/delivered */
export interface MarkDelivered {
  /** the day the paper decision was handed over or posted (Baku), YYYY-MM-DD */
  deliveredOn: string;
  note?: string;
}
