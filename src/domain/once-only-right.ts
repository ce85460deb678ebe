import { LEGAL_GROUNDS } from './legal-grounds.js';

/** Statuses in which an application uses (or has used) the right; refused and cancelled do not. */
export const RIGHT_USING_STATUSES = ['under_review', 'discrepancy', 'approved'] as const;

export interface ApplicationOfFamily {
  id: string;
  registrationNumber: number | null;
  applicantFin: string;
  spouseFin: string | null;
  status: string;
}

export interface OnceOnlyRightResult {
  passed: boolean;
  legalGround: string;
  /** Registration numbers of the applications that already use the right. */
  conflictingRegistrationNumbers: number[];
}

/**
 * 003 §2.2: the right can be used once per family or person. An application conflicts with
 * another one when they share a family member (applicant or spouse, by FIN) and the other is
 * still in use (not refused or cancelled) and was registered earlier: the earlier registration
 * keeps its place (003 §5.5 order of registration numbers).
 */
export function checkOnceOnlyRight(
  application: ApplicationOfFamily,
  others: ApplicationOfFamily[],
): OnceOnlyRightResult {
  const members = new Set(
    [application.applicantFin, application.spouseFin].filter((f): f is string => !!f),
  );
  const conflicting = others.filter(
    (o) =>
      o.id !== application.id &&
      (RIGHT_USING_STATUSES as readonly string[]).includes(o.status) &&
      (members.has(o.applicantFin) || (o.spouseFin !== null && members.has(o.spouseFin))) &&
      o.registrationNumber !== null &&
      (application.registrationNumber === null ||
        o.registrationNumber < application.registrationNumber),
  );
  return {
    passed: conflicting.length === 0,
    legalGround: LEGAL_GROUNDS.ONCE_ONLY_RIGHT.citation,
    conflictingRegistrationNumbers: conflicting
      .map((o) => o.registrationNumber as number)
      .sort((a, b) => a - b),
  };
}
