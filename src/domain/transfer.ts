/**
 * Registration transfer to family members (Cabinet Decision No. 485, "002"; 004 §20; Housing
 * Code 55.3) — the pure rules. The variants' rules are data (table transfer_variant); these
 * functions take a variant's rule and the facts and say what follows.
 */
import type { CivilDate } from './calendar.js';

/** 'disability': Housing Code 55.3 in its 2020 wording (a registered person with a disability). */
export const TRANSFER_VARIANTS = ['martyr-family', 'family-takeover', 'disability'] as const;
export type TransferVariantCode = (typeof TRANSFER_VARIANTS)[number];

export const REPRESENTATIVE_KINDS = ['family-member', 'guardian', 'curator', 'attorney'] as const;
export type RepresentativeKind = (typeof REPRESENTATIVE_KINDS)[number];

/** What happened to the registered person: died, or (004 §20 only) moved away for good. */
export const TRANSFER_EVENTS = ['death', 'moved-away'] as const;
export type TransferEvent = (typeof TRANSFER_EVENTS)[number];

/** When a document is required (besides always). */
export type DocumentCondition =
  'family-representative' | 'other-representative' | 'later-martyr-status' | 'death' | 'moved-away';

export interface VariantDocument {
  kind: string;
  /** the point of the rule that asks for it */
  point: string;
  /** a registry that holds it: fetched, not asked for (002 §2.3) */
  registry?: 'identity' | 'civil-status';
  when?: DocumentCondition;
}

/** One row of transfer_variant. */
export interface VariantRule {
  code: TransferVariantCode;
  legalSource: string;
  /** legal_period code of the application window (002 §2.1), or null: no window */
  windowPeriod: string | null;
  events: TransferEvent[];
  /** the joint consent of all adult members, notarised (annex 2) */
  consentRequired: boolean;
  documents: VariantDocument[];
}

export interface FamilyMember {
  fin?: string | null;
  relation: string;
  birthDate?: CivilDate | null;
  adult: boolean;
  /** signed the representation statement (annex 2) */
  signed: boolean;
}

export interface Representative {
  fin: string;
  kind: RepresentativeKind;
  relation?: string | null;
  birthDate?: CivilDate | null;
}

export interface Problem {
  field: string;
  message: string;
}

/** Completed years between two civil dates. */
export function ageOn(birthDate: CivilDate, on: CivilDate): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const ADULT_AGE = 18;

/**
 * 002 §2.1 window: the application is made within the period from the death (the end already
 * moved past a non-working day, domain brief §8). No window for the variant → always in time.
 */
export function applicationWindow(
  filedOn: CivilDate,
  windowEndsOn: CivilDate | null,
): { inTime: boolean; endsOn: CivilDate | null; citation: string } {
  return {
    inTime: windowEndsOn === null || filedOn <= windowEndsOn,
    endsOn: windowEndsOn,
    citation: '002 §2.1',
  };
}

/**
 * Who may represent the family (002 §2.1): an adult family member, by the joint consent of the
 * family; only when there is no adult member, a guardian, curator or attorney. Problems here are
 * not correctable by a document: the application names another representative.
 */
export function representativeProblems(
  rep: Representative,
  family: FamilyMember[],
  filedOn: CivilDate,
): Problem[] {
  const problems: Problem[] = [];
  const adultMembers = family.filter((m) => isAdult(m, filedOn));
  if (rep.kind === 'family-member') {
    if (rep.birthDate && ageOn(rep.birthDate, filedOn) < ADULT_AGE)
      problems.push({
        field: 'representative.birthDate',
        message: 'a family member who represents the family must be 18 or older (002 §2.1)',
      });
    if (!rep.relation)
      problems.push({
        field: 'representative.relation',
        message: 'a family member names their relation to the registered person',
      });
  } else if (adultMembers.length > 0) {
    problems.push({
      field: 'representative.kind',
      message: `a ${rep.kind} represents the family only when it has no adult member (002 §2.1)`,
    });
  }
  if (rep.fin && family.some((m) => m.fin === rep.fin))
    problems.push({
      field: 'family',
      message: 'list the representative under representative, not among the other members',
    });
  for (const [i, m] of family.entries()) {
    if (m.birthDate && ageOn(m.birthDate, filedOn) >= ADULT_AGE !== m.adult)
      problems.push({
        field: `family.${i}.adult`,
        message: 'does not match the birth date',
      });
  }
  return problems;
}

function isAdult(m: FamilyMember, on: CivilDate): boolean {
  return m.birthDate ? ageOn(m.birthDate, on) >= ADULT_AGE : m.adult;
}

/** The conditions that hold for a case. */
export function conditionsOf(c: {
  representativeKind: RepresentativeKind;
  event: TransferEvent;
  laterMartyrStatus: boolean;
}): Set<DocumentCondition> {
  const s = new Set<DocumentCondition>([c.event]);
  s.add(
    c.representativeKind === 'family-member' ? 'family-representative' : 'other-representative',
  );
  if (c.laterMartyrStatus) s.add('later-martyr-status');
  return s;
}

/** The documents the variant requires in this case (002 §2.2; 004 §20; 55.3). */
export function requiredDocuments(
  rule: VariantRule,
  conditions: Set<DocumentCondition>,
): VariantDocument[] {
  return rule.documents.filter(
    (d) =>
      (!d.when || conditions.has(d.when)) &&
      // the joint consent (annex 2) only where the variant's rule asks for it
      (d.kind !== 'representation-statement' || rule.consentRequired),
  );
}

export interface DocumentLine {
  kind: string;
  accepted: boolean;
  note?: string;
}

export interface Receipt {
  date: CivilDate;
  accepted: string[];
  /** required, not submitted, and no registry holds it */
  missing: string[];
  /** required, held by a registry: the body fetches them (002 §2.3) */
  toBeFetched: string[];
}

/** 002 §2.4: the receipt lists the documents accepted and the date, and notes what is missing. */
export function receiptOf(
  required: VariantDocument[],
  lines: DocumentLine[],
  date: CivilDate,
): Receipt {
  const accepted = lines.filter((l) => l.accepted).map((l) => l.kind);
  const has = new Set(accepted);
  return {
    date,
    accepted,
    missing: required.filter((d) => !has.has(d.kind) && !d.registry).map((d) => d.kind),
    toBeFetched: required.filter((d) => !has.has(d.kind) && d.registry).map((d) => d.kind),
  };
}

export interface Deficiency {
  kind: string;
  point: string;
  message: string;
}

/**
 * The correctable deficiencies (002 §2.5): a required document neither accepted nor held by a
 * registry (a registry that does not know the person counts as not holding it, 002 §2.3), and an
 * adult member who did not sign the representation statement (annex 2).
 */
export function deficiencies(
  required: VariantDocument[],
  lines: DocumentLine[],
  fetched: Set<string>,
  family: FamilyMember[],
  rule: VariantRule,
  representativeKind: RepresentativeKind,
  filedOn: CivilDate,
): Deficiency[] {
  const has = new Set(lines.filter((l) => l.accepted).map((l) => l.kind));
  const out: Deficiency[] = required
    .filter((d) => !has.has(d.kind) && !fetched.has(d.kind))
    .map((d) => ({
      kind: d.kind,
      point: d.point,
      message: d.registry
        ? 'the registry does not hold it: submit a copy (002 §2.3)'
        : 'not submitted',
    }));
  if (rule.consentRequired && representativeKind === 'family-member') {
    family.forEach((m, i) => {
      if (isAdult(m, filedOn) && !m.signed)
        out.push({
          kind: 'representation-statement',
          point: '002 §2.1, §2.2.2, əlavə 2',
          message: `adult member ${i + 1} (${m.relation}) has not signed the representation statement`,
        });
    });
  }
  return out;
}

/** Family members as a waitlist entry keeps them after the transfer: the representative leaves the list (004 §10). */
export function familyAfterTransfer<M extends { fin?: string | null }>(
  family: M[],
  representativeFin: string,
): M[] {
  return family.filter((m) => m.fin !== representativeFin);
}

/** What became of the family's transfer application when the 3-month window ends (002 §2.1). */
export type TransferInWindow = 'none' | 'pending' | 'refused';

export interface InWindowApplication {
  id: string;
  filedOn: string;
  outcome: string | null;
  final: boolean;
  decidedAt: Date | null;
}

/**
 * At the end of the window (002 §2.1, §2.6; 004 §20): an application filed in time that is still
 * open — or granted, its message on the way — keeps the hold until its case ends; when every one
 * was refused the removal case resumes with a reviewer's reasoned decision; none at all → removal
 * on 55.1.7, and only then may the decision say that no application came.
 */
export function transferInWindow(apps: InWindowApplication[]): TransferInWindow {
  if (apps.length === 0) return 'none';
  if (apps.some((a) => !a.final || a.outcome === 'transferred')) return 'pending';
  return 'refused';
}

/** A family member as the waitlist file lists them (registered with the person, 002 §1.2.2). */
export interface FileFamilyMember {
  fin: string | null;
  relation: string;
  birthDate: CivilDate | null;
}

export interface OutsideFamily {
  /** `representative` or `family.<i>` of the application */
  field: string;
  relation: string;
  point: string;
}

/**
 * 002 §1.2.2: the registration is kept only for the persons registered as the deceased's family
 * members at the registration. Every person the application names — the representative when a
 * family member, and each listed member — is looked up in the file's family: by FIN where both
 * have one, else by relation and birth date. Those not found are returned; a grant for them would
 * give the place to someone the rule does not cover, so the reviewer refuses with reasons.
 */
export function outsideFamilyFile(
  rep: Representative,
  family: FamilyMember[],
  file: FileFamilyMember[],
): OutsideFamily[] {
  const inFile = (p: {
    fin?: string | null;
    relation?: string | null;
    birthDate?: string | null;
  }) =>
    file.some((f) =>
      p.fin && f.fin
        ? p.fin === f.fin
        : !!p.birthDate && p.birthDate === f.birthDate && p.relation === f.relation,
    );
  const out: OutsideFamily[] = [];
  if (rep.kind === 'family-member' && !inFile(rep))
    out.push({ field: 'representative', relation: rep.relation ?? rep.kind, point: '002 §1.2.2' });
  family.forEach((m, i) => {
    if (!inFile(m)) out.push({ field: `family.${i}`, relation: m.relation, point: '002 §1.2.2' });
  });
  return out;
}
