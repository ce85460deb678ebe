import { isCivilDate, type CivilDate } from './calendar.js';

/**
 * The order of a housing waitlist (uçot), pure rules:
 *
 * - dwellings go to those on the waitlist in the order of their registration date (Housing
 *   Code 56.1; 004 §22 "uçota götürülmə vaxtı əsas tutularaq");
 * - with the same registration date, the degree of need comes first (higher first), then the
 *   seniority (length of service: the earlier it began, the longer, so earlier first), then
 *   public-benefit activity (a degree the body records, higher first) — 004 §22 "mənzilə ehtiyac
 *   dərəcəsi, ... iş stajı və ictimai faydalı fəaliyyət nəzərə alınır", in the seed's sequence;
 * - the entry id breaks any remaining tie, so the order is total and stable;
 * - an entry without a seniority date comes after every entry of the same date and need that has
 *   one (it has no seniority to weigh).
 *
 * The database keeps exactly this order in one btree key (migrations 1732240000021, …106): the
 * columns (registration_date, neg_need = -need_degree, seniority_sort = seniority_date or
 * 'infinity', neg_public_benefit = -public_benefit, id).
 * The general, first-turn and out-of-turn lists are separate queues (004 §9, 56.2): compare
 * entries of one list only.
 */
export interface QueueEntry {
  id: string;
  registrationDate: CivilDate;
  /** degree of need; higher = more need */
  needDegree: number;
  /** when the seniority began; null = none */
  seniorityDate: CivilDate | null;
  /** 004 §22: public-benefit activity, a degree (higher first); absent = 0, none */
  publicBenefit?: number;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Negative when `a` comes before `b` in the queue. Civil dates 'YYYY-MM-DD' compare as text.
 * Ids compare as lower-case text, which is the byte order PostgreSQL uses for uuid.
 */
export function compareQueueOrder(a: QueueEntry, b: QueueEntry): number {
  return (
    compareText(a.registrationDate, b.registrationDate) ||
    b.needDegree - a.needDegree ||
    (a.seniorityDate === b.seniorityDate
      ? 0
      : a.seniorityDate === null
        ? 1
        : b.seniorityDate === null
          ? -1
          : compareText(a.seniorityDate, b.seniorityDate)) ||
    (b.publicBenefit ?? 0) - (a.publicBenefit ?? 0) ||
    compareText(a.id.toLowerCase(), b.id.toLowerCase())
  );
}

/** A copy of the entries in queue order. */
export function sortByQueueOrder<T extends QueueEntry>(entries: readonly T[]): T[] {
  for (const e of entries) {
    if (!isCivilDate(e.registrationDate))
      throw new RangeError(`entry ${e.id}: registration date is not a civil date`);
    if (e.seniorityDate !== null && !isCivilDate(e.seniorityDate))
      throw new RangeError(`entry ${e.id}: seniority date is not a civil date`);
    if (!Number.isInteger(e.needDegree))
      throw new RangeError(`entry ${e.id}: degree of need is not an integer`);
    if (e.publicBenefit !== undefined && !Number.isInteger(e.publicBenefit))
      throw new RangeError(`entry ${e.id}: public-benefit degree is not an integer`);
  }
  return [...entries].sort(compareQueueOrder);
}

/** Statuses that hold a place in the queue: 'held' keeps the place (004 §20), so it counts. */
export const QUEUED_STATUSES = ['active', 'held'] as const;
export type WaitlistEntryStatus = 'active' | 'held' | 'removed' | 'housed';

export function holdsPlace(status: WaitlistEntryStatus): boolean {
  return status === 'active' || status === 'held';
}

/** One family on the waitlist: the registered member and the members who move with them. */
export interface FamilyEntry {
  id: string;
  status: WaitlistEntryStatus;
  /** FIN of the registered member (null once anonymised after the retention period) */
  registeredFin: string | null;
  /** FINs of the family members listed on the entry (may include the registered member) */
  memberFins: readonly string[];
}

export interface FamilyConflict {
  /** the person found in the families of more than one registered member */
  fin: string;
  /** the entries that person belongs to, sorted */
  entryIds: string[];
  /** the different registered members of those entries, sorted */
  registeredFins: string[];
}

export type FamilyCheck = { ok: true } | { ok: false; conflicts: FamilyConflict[] };

/**
 * Only one member of a family is registered (004 §10): among the entries that hold a place
 * (active or held), every person belongs to the family of one registered member at most. A
 * person in two entries with two different registered members — the other spouse registered
 * too, a child listed on both parents' entries — is a conflict. The same family on several
 * lists of a body (e.g. general and first-turn, 004 §9) through the same registered member is
 * not; nor are separate households sharing a dwelling, each with its own members (004 §10,
 * second paragraph). Entries removed or housed are ignored.
 *
 * When registering: pass the entries of the body that hold a place plus the new one; the new
 * entry may be registered only if the result is ok. FINs are compared in upper case.
 */
export function oneRegisteredMemberPerFamily(entries: readonly FamilyEntry[]): FamilyCheck {
  const byPerson = new Map<string, { entries: Set<string>; registered: Set<string> }>();
  for (const e of entries) {
    if (!holdsPlace(e.status) || e.registeredFin === null) continue;
    const registered = e.registeredFin.toUpperCase();
    const people = new Set([registered, ...e.memberFins.map((f) => f.toUpperCase())]);
    for (const fin of people) {
      const seen = byPerson.get(fin) ?? {
        entries: new Set<string>(),
        registered: new Set<string>(),
      };
      seen.entries.add(e.id);
      seen.registered.add(registered);
      byPerson.set(fin, seen);
    }
  }
  const conflicts: FamilyConflict[] = [];
  for (const [fin, seen] of byPerson) {
    if (seen.registered.size > 1) {
      conflicts.push({
        fin,
        entryIds: [...seen.entries].sort(),
        registeredFins: [...seen.registered].sort(),
      });
    }
  }
  conflicts.sort((a, b) => compareText(a.fin, b.fin));
  return conflicts.length === 0 ? { ok: true } : { ok: false, conflicts };
}
