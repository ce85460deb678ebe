import { describe, expect, it } from '@jest/globals';
import {
  ageOn,
  applicationWindow,
  conditionsOf,
  deficiencies,
  familyAfterTransfer,
  receiptOf,
  representativeProblems,
  transferInWindow,
  requiredDocuments,
  type FamilyMember,
  type InWindowApplication,
  type VariantRule,
} from '../../src/domain/transfer.js';

// The rows of transfer_variant (migration 1732240000040) as the workers load them.
const MARTYR: VariantRule = {
  code: 'martyr-family',
  legalSource: '002',
  windowPeriod: 'transfer-application-window',
  events: ['death'],
  consentRequired: true,
  documents: [
    { kind: 'identity-documents', point: '002 §2.2.1', registry: 'identity' },
    {
      kind: 'representation-statement',
      point: '002 §2.2.2, əlavə 2',
      when: 'family-representative',
    },
    { kind: 'representative-authority', point: '002 §2.1', when: 'other-representative' },
    { kind: 'death-certificate', point: '002 §2.2.3', registry: 'civil-status' },
    {
      kind: 'later-martyr-status-certificate',
      point: '002 §2.2.4',
      when: 'later-martyr-status',
    },
  ],
};
const TAKEOVER: VariantRule = {
  code: 'family-takeover',
  legalSource: '004 §20',
  windowPeriod: null,
  events: ['death', 'moved-away'],
  consentRequired: false,
  documents: [
    { kind: 'identity-documents', point: '004 §20', registry: 'identity' },
    { kind: 'representative-authority', point: '004 §20', when: 'other-representative' },
    { kind: 'death-certificate', point: '004 §20', registry: 'civil-status', when: 'death' },
    { kind: 'residence-change-certificate', point: '004 §20', when: 'moved-away' },
    { kind: 'family-composition-certificate', point: '004 §20' },
  ],
};
// Housing Code 55.3 as worded since 2020: a registered person with a disability
const DISABILITY: VariantRule = {
  ...MARTYR,
  code: 'disability',
  windowPeriod: null,
  documents: [
    ...MARTYR.documents.filter((d) => d.kind !== 'later-martyr-status-certificate'),
    { kind: 'disability-record', point: 'Mənzil Məcəlləsi 55.3' },
  ],
};

const member = (over: Partial<FamilyMember> = {}): FamilyMember => ({
  relation: 'child',
  adult: true,
  signed: true,
  ...over,
});

describe('the 3-month window from the death (002 §2.1)', () => {
  it('given the application on the last day of the window, then it is in time', () => {
    expect(applicationWindow('2026-08-31', '2026-08-31').inTime).toBe(true);
  });
  it('given the application a day after the window, then it is late and cites 002 §2.1', () => {
    expect(applicationWindow('2026-09-01', '2026-08-31')).toEqual({
      inTime: false,
      endsOn: '2026-08-31',
      citation: '002 §2.1',
    });
  });
  it('given a variant without a window (004 §20), then any date is in time', () => {
    expect(applicationWindow('2030-01-01', null).inTime).toBe(true);
  });
});

describe('the representative (002 §2.1)', () => {
  it('given an adult family member, then there is no problem', () => {
    expect(
      representativeProblems(
        { fin: 'AAAAAA1', kind: 'family-member', relation: 'spouse', birthDate: '1980-01-01' },
        [member({ fin: 'BBBBBB1' })],
        '2026-06-01',
      ),
    ).toEqual([]);
  });
  it('given a family member who is 17, then the birth date is named', () => {
    expect(
      representativeProblems(
        { fin: 'AAAAAA1', kind: 'family-member', relation: 'son', birthDate: '2009-06-02' },
        [],
        '2026-06-01',
      ).map((p) => p.field),
    ).toEqual(['representative.birthDate']);
  });
  it('given 18 on the day of the application, then the member may represent', () => {
    expect(ageOn('2008-06-01', '2026-06-01')).toBe(18);
    expect(
      representativeProblems(
        { fin: 'AAAAAA1', kind: 'family-member', relation: 'son', birthDate: '2008-06-01' },
        [],
        '2026-06-01',
      ),
    ).toEqual([]);
  });
  it('given a guardian while the family has an adult member, then the kind is refused', () => {
    expect(
      representativeProblems(
        { fin: 'AAAAAA1', kind: 'guardian' },
        [member({ adult: true })],
        '2026-06-01',
      ).map((p) => p.field),
    ).toEqual(['representative.kind']);
  });
  it('given a guardian of minor children only, then it may represent', () => {
    expect(
      representativeProblems(
        { fin: 'AAAAAA1', kind: 'guardian' },
        [member({ adult: false, birthDate: '2015-01-01', signed: false })],
        '2026-06-01',
      ),
    ).toEqual([]);
  });
  it('given a member marked adult against the birth date, then the member is named', () => {
    expect(
      representativeProblems(
        { fin: 'AAAAAA1', kind: 'family-member', relation: 'spouse' },
        [member({ adult: true, birthDate: '2015-01-01' })],
        '2026-06-01',
      ).map((p) => p.field),
    ).toEqual(['family.0.adult']);
  });
});

describe('required documents per variant (002 §2.2; 004 §20; 55.3)', () => {
  const kinds = (rule: VariantRule, c: Parameters<typeof conditionsOf>[0]) =>
    requiredDocuments(rule, conditionsOf(c)).map((d) => d.kind);

  it('given the martyr family and a family representative, then 2.2.1–2.2.3', () => {
    expect(
      kinds(MARTYR, {
        representativeKind: 'family-member',
        event: 'death',
        laterMartyrStatus: false,
      }),
    ).toEqual(['identity-documents', 'representation-statement', 'death-certificate']);
  });
  it('given martyr status granted later, then the 2.2.4 certificate too', () => {
    expect(
      kinds(MARTYR, {
        representativeKind: 'family-member',
        event: 'death',
        laterMartyrStatus: true,
      }),
    ).toContain('later-martyr-status-certificate');
  });
  it('given a guardian, then the authority instead of the statement', () => {
    expect(
      kinds(MARTYR, { representativeKind: 'guardian', event: 'death', laterMartyrStatus: false }),
    ).toEqual(['identity-documents', 'representative-authority', 'death-certificate']);
  });
  it('given a family takeover after moving away (004 §20), then no death certificate and no notarised consent', () => {
    expect(
      kinds(TAKEOVER, {
        representativeKind: 'family-member',
        event: 'moved-away',
        laterMartyrStatus: false,
      }),
    ).toEqual([
      'identity-documents',
      'residence-change-certificate',
      'family-composition-certificate',
    ]);
  });
  it('55.3: given a registered person with a disability, then the disability record', () => {
    expect(
      kinds(DISABILITY, {
        representativeKind: 'family-member',
        event: 'death',
        laterMartyrStatus: false,
      }),
    ).toContain('disability-record');
  });
});

describe('receipt and deficiencies (002 §2.3–2.5)', () => {
  const required = requiredDocuments(
    MARTYR,
    conditionsOf({ representativeKind: 'family-member', event: 'death', laterMartyrStatus: false }),
  );

  it('given only the statement, then the receipt lists it accepted and the registry documents to be fetched, nothing missing', () => {
    expect(
      receiptOf(required, [{ kind: 'representation-statement', accepted: true }], '2026-06-01'),
    ).toEqual({
      date: '2026-06-01',
      accepted: ['representation-statement'],
      missing: [],
      toBeFetched: ['identity-documents', 'death-certificate'],
    });
  });
  it('given the statement not accepted, then the receipt notes it missing', () => {
    expect(
      receiptOf(required, [{ kind: 'representation-statement', accepted: false }], '2026-06-01')
        .missing,
    ).toEqual(['representation-statement']);
  });
  it('given the registries hold everything and all adults signed, then no deficiency', () => {
    expect(
      deficiencies(
        required,
        [{ kind: 'representation-statement', accepted: true }],
        new Set(['identity-documents', 'death-certificate']),
        [member(), member({ adult: false, signed: false })],
        MARTYR,
        'family-member',
        '2026-06-01',
      ),
    ).toEqual([]);
  });
  it('given the registry does not know the death, then the certificate is a deficiency (2.3)', () => {
    const d = deficiencies(
      required,
      [
        { kind: 'representation-statement', accepted: true },
        { kind: 'identity-documents', accepted: true },
      ],
      new Set(),
      [],
      MARTYR,
      'family-member',
      '2026-06-01',
    );
    expect(d.map((x) => x.kind)).toEqual(['death-certificate']);
    expect(d[0]!.message).toMatch(/2\.3/);
  });
  it('given an adult member who did not sign annex 2, then a deficiency names the member', () => {
    const d = deficiencies(
      required,
      [{ kind: 'representation-statement', accepted: true }],
      new Set(['identity-documents', 'death-certificate']),
      [member({ relation: 'daughter', signed: false })],
      MARTYR,
      'family-member',
      '2026-06-01',
    );
    expect(d).toEqual([expect.objectContaining({ kind: 'representation-statement' })]);
    expect(d[0]!.message).toMatch(/daughter/);
  });
  it('given a variant without the consent rule, then unsigned members are no deficiency', () => {
    expect(
      deficiencies(
        [],
        [],
        new Set(),
        [member({ signed: false })],
        TAKEOVER,
        'family-member',
        '2026-06-01',
      ),
    ).toEqual([]);
  });
});

describe('family after the transfer (004 §10)', () => {
  it('given the representative among the members, then they leave the list', () => {
    expect(
      familyAfterTransfer(
        [
          { fin: 'AAAAAA1', relation: 'spouse' },
          { fin: 'BBBBBB1', relation: 'child' },
        ],
        'AAAAAA1',
      ),
    ).toEqual([{ fin: 'BBBBBB1', relation: 'child' }]);
  });
});

describe('002 §2.1, §2.6; 004 §20: the hold at the end of the 3-month window', () => {
  const app = (over: Partial<InWindowApplication> = {}): InWindowApplication => ({
    id: 'a',
    filedOn: '2026-01-10',
    outcome: null,
    final: false,
    decidedAt: null,
    ...over,
  });
  it('given no application filed in the window, then none: removal on 55.1.7', () => {
    expect(transferInWindow([])).toBe('none');
  });
  it('given an application still under review, then pending: the hold goes on', () => {
    expect(transferInWindow([app({ outcome: 'refused', final: true }), app()])).toBe('pending');
  });
  it('given a granted application whose message is on its way, then pending', () => {
    expect(transferInWindow([app({ outcome: 'transferred', final: true })])).toBe('pending');
  });
  it('given every application refused, then refused: a reviewer decides', () => {
    expect(
      transferInWindow([
        app({ outcome: 'refused', final: true }),
        app({ id: 'b', outcome: 'refused', final: true }),
      ]),
    ).toBe('refused');
  });
});
