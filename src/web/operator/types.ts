// The shapes of the operator API (src/api/operator.ts and src/api/operator-dashboard.ts).

export type InstanceState = 'active' | 'completed' | 'incident' | 'cancelled';

/** Ids are the engine's (Operaton) ids; `bpmnProcessId` is the model's process id. */
export interface InstanceSummary {
  id: string;
  bpmnProcessId: string;
  version: number;
  processDefinitionId: string;
  /** the case number */
  businessKey: string | null;
  state: InstanceState;
  startedAt: string;
  endedAt: string | null;
  parentId: string | null;
  caseType: string | null;
  caseId: string | null;
  incidentCount: number;
}

export interface Page<T> {
  total: number;
  limit: number;
  offset: number;
  items: T[];
}

export interface ElementState {
  elementId: string;
  active: number;
  completed: number;
  terminated: number;
  incidents: number;
}

export interface HistoryStep {
  id: string;
  elementId: string;
  elementName: string | null;
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

export interface Incident {
  id: string;
  processInstanceId: string;
  processDefinitionId: string | null;
  bpmnProcessId: string;
  elementId: string;
  /** failedJob, failedExternalTask or a custom type */
  incidentType: string;
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

export interface DeadlineDashboard {
  at: string;
  today: string;
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

export const CALENDAR_DAY_KINDS = [
  'holiday',
  'transferred_day_off',
  'election',
  'other_day_off',
  'working_weekend',
] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];

export interface CalendarDay {
  date: string;
  kind: CalendarDayKind;
  nameAz: string;
  nameEn: string;
  source: string;
  provisional: boolean;
  updatedAt: string;
  updatedBy: string;
}

export interface CalendarYearDays {
  year: number;
  complete: boolean;
  source: string | null;
  days: CalendarDay[];
}

export interface CalendarAuditEntry {
  id: string;
  date: string;
  actor: string;
  action: 'calendar-day-added' | 'calendar-day-changed' | 'calendar-day-deleted';
  reason: string | null;
  legalGround: string | null;
  at: string;
}

export const PROCESS_IDS = [
  'application-draft',
  'application-review',
  'discrepancy-resubmission',
  'records-retention',
  'registration-transfer',
  'waitlist-registration',
  'waitlist-reverification',
  'waitlist-slot-seizure',
] as const;
