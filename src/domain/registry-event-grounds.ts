/**
 * What a fact reported by a state registry means for a place on a housing waitlist (domain
 * brief §5: "grounds arrive from registries — death, relocation, mortgage, land, property
 * change"). Pure: no database, no clock. The codes are the `legal_ground` rows of the
 * waitlist-slot-seizure process (migration 1732240000023); the citations repeat theirs.
 *
 * A ground established here only OPENS a seizure case: the registering body decides within
 * 30 working days, citing the 55.1 ground (Housing Code 55.2), and may retain the place
 * (Art. 54, 004 §20) — e.g. a temporary absence, or a family that lost its registered head
 * while its need remains.
 */

export const REGISTRY_EVENT_SOURCES = [
  'civil-status',
  'residence',
  'mortgage-fund',
  'land',
  'real-estate',
  'court',
] as const;
export type RegistryEventSource = (typeof REGISTRY_EVENT_SOURCES)[number];

export const REGISTRY_EVENT_KINDS = [
  'death',
  'moved-away',
  'preferential-mortgage-granted',
  'land-plot-granted',
  'property-acquired',
  'sentenced',
] as const;
export type RegistryEventKind = (typeof REGISTRY_EVENT_KINDS)[number];

/** The registry that reports each kind of fact; an event from another source is malformed. */
export const SOURCE_OF_KIND: Readonly<Record<RegistryEventKind, RegistryEventSource>> = {
  death: 'civil-status',
  'moved-away': 'residence',
  'preferential-mortgage-granted': 'mortgage-fund',
  'land-plot-granted': 'land',
  'property-acquired': 'real-estate',
  sentenced: 'court',
};

/** The removal grounds a registry fact can establish (a subset of SEIZURE_GROUNDS). */
export type RegistryGround =
  | 'remove-death'
  | 'remove-moved-away'
  | 'remove-preferential-mortgage'
  | 'remove-land-plot'
  | 'remove-need-ceased';

export interface GroundRule {
  /** null: the fact is no case of Housing Code 55.1, so it opens no case (55.2) */
  ground: RegistryGround | null;
  citation: string;
}

/** kind → ground, with the citation of its legal_ground row. */
export const GROUND_OF_KIND = {
  // 55.1.7: "vətəndaş vəfat etdikdə" — except where the Code keeps the place for the family
  // (55.3; 004 §20 last paragraph; transfer under 002): the reviewer decides that.
  death: { ground: 'remove-death', citation: 'Mənzil Məcəlləsi 55.1.7' },
  // 55.1.3: moved to a settlement in another administrative unit; 004 §19(b)
  'moved-away': { ground: 'remove-moved-away', citation: 'Mənzil Məcəlləsi 55.1.3; 004 §19(b)' },
  // 55.1.4: a preferential mortgage loan to acquire a dwelling was granted
  'preferential-mortgage-granted': {
    ground: 'remove-preferential-mortgage',
    citation: 'Mənzil Məcəlləsi 55.1.4',
  },
  // 55.1.5: a land plot for building a dwelling was granted
  'land-plot-granted': { ground: 'remove-land-plot', citation: 'Mənzil Məcəlləsi 55.1.5' },
  // 55.1.2 / 004 §19(a): the grounds for the need MAY have ceased — whether the family's
  // housing now reaches the registration norm (49.4, 50.2) is the reviewer's finding.
  'property-acquired': {
    ground: 'remove-need-ceased',
    citation: 'Mənzil Məcəlləsi 55.1.2; 004 §19(a)',
  },
  // 004 §19(d) (a sentence of more than six months) is no case of Housing Code 55.1, and a
  // removal decision must refer to a case of 55.1 (55.2; the Code prevails over the 1983 model
  // rules): a sentence, of any length, opens no case. The registry may still report it.
  sentenced: { ground: null, citation: 'Mənzil Məcəlləsi 55.1, 55.2' },
} as const satisfies Readonly<Record<RegistryEventKind, GroundRule>>;

/** Whose FIN the event names, relative to a waitlist entry it matched. */
export type MatchRole = 'registered' | 'family-member';

export type GroundDecision =
  | { establishes: true; ground: RegistryGround; citation: string }
  | { establishes: false; reason: NoGroundReason; citation: string };

export type NoGroundReason =
  /** a family member's death is recorded on the file; it is no removal ground (55.1.7 names the registered citizen) */
  | 'family-member-death'
  /** the fact is none of the cases of Housing Code 55.1 (55.2), e.g. a sentence (004 §19(d)) */
  | 'not-a-housing-code-55.1-ground'
  /** only the death of a family member is matched; other facts about them are not grounds */
  | 'not-the-registered-person';

/** The ground a registry event establishes for one matched entry, or why it establishes none. */
export function groundForRegistryEvent(
  event: { kind: RegistryEventKind },
  role: MatchRole,
): GroundDecision {
  const rule: GroundRule = GROUND_OF_KIND[event.kind];
  if (role === 'family-member') {
    return event.kind === 'death'
      ? { establishes: false, reason: 'family-member-death', citation: rule.citation }
      : { establishes: false, reason: 'not-the-registered-person', citation: rule.citation };
  }
  if (rule.ground === null) {
    return {
      establishes: false,
      reason: 'not-a-housing-code-55.1-ground',
      citation: rule.citation,
    };
  }
  return { establishes: true, ground: rule.ground, citation: rule.citation };
}

/** Family members are matched only for a death (recorded on the file, never a ground). */
export function matchesFamilyMembers(kind: RegistryEventKind): boolean {
  return kind === 'death';
}
