// The shapes of the operator API (src/api/operator.ts and src/api/operator-dashboard.ts).

export type InstanceState = 'active' | 'completed' | 'incident' | 'cancelled';

export interface InstanceSummary {
  key: string;
  bpmnProcessId: string;
  version: number;
  processDefinitionKey: string;
  state: InstanceState;
  startedAt: string;
  endedAt: string | null;
  parentKey: string | null;
  caseType: string | null;
  caseId: string | null;
  applicationId: string | null;
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
  key: string;
  elementId: string;
  elementType: string;
  state: 'active' | 'completed' | 'terminated';
  startedAt: string;
  endedAt: string | null;
}

export interface Variable {
  name: string;
  value: unknown;
  scopeKey: string;
}

export interface Incident {
  key: string;
  processInstanceKey: string;
  processDefinitionKey: string | null;
  bpmnProcessId: string;
  elementId: string;
  elementInstanceKey: string;
  jobKey: string | null;
  errorType: string;
  errorMessage: string;
  state: 'active' | 'resolved';
  createdAt: string;
  resolvedAt: string | null;
  caseType: string | null;
  caseId: string | null;
}

/** A review task of the case: its due time and the rule it comes from. */
export interface CaseDeadline {
  jobKey: string;
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
