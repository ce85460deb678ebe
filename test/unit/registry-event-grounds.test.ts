import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import {
  GROUND_OF_KIND,
  groundForRegistryEvent,
  matchesFamilyMembers,
  REGISTRY_EVENT_KINDS,
  SOURCE_OF_KIND,
  type RegistryEventKind,
} from '../../src/domain/registry-event-grounds.js';

describe('registry event → removal ground (Housing Code 55.1, 004 §19)', () => {
  it.each([
    ['death', 'remove-death', 'Mənzil Məcəlləsi 55.1.7'],
    ['moved-away', 'remove-moved-away', 'Mənzil Məcəlləsi 55.1.3; 004 §19(b)'],
    ['preferential-mortgage-granted', 'remove-preferential-mortgage', 'Mənzil Məcəlləsi 55.1.4'],
    ['land-plot-granted', 'remove-land-plot', 'Mənzil Məcəlləsi 55.1.5'],
    ['property-acquired', 'remove-need-ceased', 'Mənzil Məcəlləsi 55.1.2; 004 §19(a)'],
  ] as const)(
    'given a %s event about the registered person, then it establishes %s (%s)',
    (kind, ground, citation) => {
      expect(groundForRegistryEvent({ kind }, 'registered')).toEqual({
        establishes: true,
        ground,
        citation,
      });
    },
  );

  it.each([3, 6, 7, 24])(
    'Housing Code 55.2: given a sentence of %i months about the registered person, then it establishes no ground (004 §19(d) is no case of 55.1)',
    () => {
      expect(groundForRegistryEvent({ kind: 'sentenced' }, 'registered')).toEqual({
        establishes: false,
        reason: 'not-a-housing-code-55.1-ground',
        citation: 'Mənzil Məcəlləsi 55.1, 55.2',
      });
    },
  );

  it('Housing Code 55.2: given every registry fact that establishes a ground, then the ground is a case of 55.1', () => {
    for (const kind of REGISTRY_EVENT_KINDS) {
      const rule = GROUND_OF_KIND[kind];
      if (rule.ground !== null) expect(rule.citation).toMatch(/^Mənzil Məcəlləsi 55\.1\.[1-7]\b/);
    }
  });

  it("given a family member's death, then it is recorded only: 55.1.7 names the registered citizen", () => {
    expect(groundForRegistryEvent({ kind: 'death' }, 'family-member')).toEqual({
      establishes: false,
      reason: 'family-member-death',
      citation: 'Mənzil Məcəlləsi 55.1.7',
    });
  });

  it('given any other fact about a family member, then it is no ground', () => {
    for (const kind of REGISTRY_EVENT_KINDS.filter((k) => k !== 'death')) {
      expect(groundForRegistryEvent({ kind }, 'family-member')).toEqual(
        expect.objectContaining({ establishes: false, reason: 'not-the-registered-person' }),
      );
    }
  });

  it('given the kinds, then only a death is matched against family members', () => {
    expect(REGISTRY_EVENT_KINDS.filter(matchesFamilyMembers)).toEqual(['death']);
  });

  it('given each kind, then exactly one registry reports it', () => {
    expect(SOURCE_OF_KIND).toEqual({
      death: 'civil-status',
      'moved-away': 'residence',
      'preferential-mortgage-granted': 'mortgage-fund',
      'land-plot-granted': 'land',
      'property-acquired': 'real-estate',
      sentenced: 'court',
    });
  });

  it('given the seeded legal grounds, then every ground and citation is the one the seizure process cites', () => {
    const sql = fs.readFileSync(
      path.join(process.cwd(), 'src/db/migrations/1732240000023_waitlist-cases.sql'),
      'utf8',
    );
    const seeded = new Map(
      [...sql.matchAll(/\('(remove-[a-z-]+)', '([^']+)', 'remove'/g)].map((m) => [m[1], m[2]]),
    );
    for (const kind of Object.keys(GROUND_OF_KIND) as RegistryEventKind[]) {
      const { ground, citation } = GROUND_OF_KIND[kind];
      if (ground === null) continue;
      expect({ kind, citation: seeded.get(ground) }).toEqual({ kind, citation });
    }
  });
});
