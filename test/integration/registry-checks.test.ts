import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RegistryStandin } from '../../dev/registry-standin.js';
import { persona, PERSONAS, type Persona, type PersonaKey } from '../../dev/synthetic-citizens.js';
import { deployProbes, probeModel, runProbe, startProbe } from '../support/probe-models.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

/**
 * The four registry checks as job workers: the real worker host and PostgreSQL, the registry
 * stand-in with the synthetic citizens (started by startTestStack), and one tiny model per task
 * type (start → task → end), so each worker's job is driven on its own.
 */

const TASK_TYPES = [
  'check-identity',
  'check-civil-status',
  'check-category-evidence',
  'check-property',
] as const;
type TaskType = (typeof TASK_TYPES)[number];

const personaOf = (key: PersonaKey): Persona => persona(key);

let t: TestStack;
let standin: RegistryStandin;

beforeAll(async () => {
  // startTestStack starts the registry stand-in (synthetic citizens as of today) and points
  // REGISTRY_URL at it before the app starts; the workers make their client on first use.
  t = await startTestStack();
  standin = t.registry;
  await deployProbes(
    t.engine,
    TASK_TYPES.map((taskType) => ({
      name: `probe-${taskType}.bpmn`,
      xml: probeModel({ processId: `probe-${taskType}`, taskType, retries: 3 }),
    })),
  );
}, 120_000);

afterAll(async () => {
  await t?.stop();
});

/** Inserts the persona's application as submitted (003 §5.5: a registration number, under review). */
async function applicationOf(p: Persona): Promise<string> {
  const { rows } = await t.stack.db.pool.query<{ id: string }>(
    `INSERT INTO application (registration_number, applicant_fin, spouse_fin, category, status, submitted_at, form)
     VALUES (next_registration_number(), $1, $2, $3, 'under_review', now(), $4)
     RETURNING id`,
    [p.fin, p.application.spouseFin, p.application.category, JSON.stringify(p.application.form)],
  );
  return rows[0]!.id;
}

/** Runs one task type's job for the application and returns the process variables at the end. */
async function runCheck(taskType: TaskType, applicationId: string) {
  return (await runProbe(t.engine, `probe-${taskType}`, { applicationId })) as Record<
    string,
    { passed: boolean; reasons: string[] } & object
  >;
}

async function recordedCheck(applicationId: string, name: string) {
  const { rows } = await t.stack.db.pool.query(
    `SELECT passed, legal_ground AS "legalGround", detail FROM automated_check
      WHERE application_id = $1 AND check_name = $2`,
    [applicationId, name],
  );
  return rows[0] as { passed: boolean; legalGround: string; detail: Record<string, unknown> };
}

async function checkAudits(applicationId: string) {
  const { rows } = await t.stack.db.pool.query(
    `SELECT actor, action, legal_ground AS "legalGround", after FROM audit_event
      WHERE case_id = $1 ORDER BY id`,
    [applicationId],
  );
  return rows as { actor: string; action: string; legalGround: string; after: unknown }[];
}

describe('check-identity', () => {
  it('given the form’s ID card as in the registry, then the check passes, is recorded and audited', async () => {
    const id = await applicationOf(personaOf('category-9-pass'));
    const vars = await runCheck('check-identity', id);
    expect(vars.identityCheck).toEqual({
      passed: true,
      reasons: [],
      legalGround: '003 §5.3.2; 000 §2.1.1',
    });
    expect(await recordedCheck(id, 'identity')).toEqual({
      passed: true,
      legalGround: '003 §5.3.2; 000 §2.1.1',
      detail: { groundCode: 'identity-matches-registry', reasons: [], notes: [] },
    });
    expect(await checkAudits(id)).toEqual([
      {
        actor: 'system:check-identity',
        action: 'check-passed',
        legalGround: '003 §5.3.2; 000 §2.1.1',
        after: { check: 'identity', passed: true, reasons: [] },
      },
    ]);
  });

  it('given another ID number on the form than in the registry, then the check fails naming it', async () => {
    const id = await applicationOf(personaOf('identity-mismatch'));
    const vars = await runCheck('check-identity', id);
    expect(vars.identityCheck).toEqual(
      expect.objectContaining({ passed: false, reasons: ['id-number-mismatch'] }),
    );
    expect((await recordedCheck(id, 'identity')).passed).toBe(false);
  });

  it('given a FIN no registry knows, then the check fails as not in the registry', async () => {
    const id = await applicationOf(personaOf('unknown-fin'));
    const vars = await runCheck('check-identity', id);
    expect(vars.identityCheck!.reasons).toEqual(['not-in-identity-registry']);
  });
});

describe('check-civil-status', () => {
  it('given a foreign spouse typed by hand in Latin letters, then the check passes', async () => {
    const id = await applicationOf(personaOf('foreign-spouse'));
    const vars = await runCheck('check-civil-status', id);
    expect(vars.civilStatusCheck).toEqual({
      passed: true,
      reasons: [],
      legalGround: '000 §2.1.1–2.1.4',
    });
  });

  it('given a spouse FIN other than the registry’s, then the check fails with spouse-mismatch', async () => {
    const id = await applicationOf(personaOf('spouse-mismatch'));
    const vars = await runCheck('check-civil-status', id);
    expect(vars.civilStatusCheck!.reasons).toEqual(['spouse-mismatch']);
    expect(await recordedCheck(id, 'civil-status')).toEqual(
      expect.objectContaining({ passed: false, legalGround: '000 §2.1.1–2.1.4' }),
    );
  });

  it('given the registry records the applicant’s death, then the check fails', async () => {
    const id = await applicationOf(personaOf('deceased'));
    const vars = await runCheck('check-civil-status', id);
    expect(vars.civilStatusCheck!.reasons).toEqual(['applicant-deceased']);
  });
});

describe('check-category-evidence', () => {
  it('given a single parent IDP aged 29, then category 3 passes and the notarised birth certificate is required', async () => {
    const id = await applicationOf(personaOf('category-3-pass-single-parent'));
    const vars = await runCheck('check-category-evidence', id);
    expect(vars.categoryEvidenceCheck).toEqual({
      passed: true,
      reasons: [],
      legalGround: '003 §2.1; 000 §2.1.5 (3)',
      requiredDocuments: ['child-birth-certificate'],
    });
    expect((await recordedCheck(id, 'category-evidence')).detail).toEqual(
      expect.objectContaining({
        category: 3,
        youngFamily: 'single-parent',
        evidence: { idpStatus: 'idp', youngFamily: 'single-parent' },
      }),
    );
  });

  it('given the applicant turned 36 today, then the category-4 check fails on the young-family ground', async () => {
    const id = await applicationOf(personaOf('young-family-turned-36'));
    const vars = await runCheck('check-category-evidence', id);
    expect(vars.categoryEvidenceCheck).toEqual(
      expect.objectContaining({
        passed: false,
        reasons: ['not-young-family', 'applicant-over-35'],
        legalGround: '000 §2.1.5',
      }),
    );
  });

  it('given the applicant turns 35 today, then the category-4 check passes (35 counts)', async () => {
    const id = await applicationOf(personaOf('young-family-exactly-35'));
    expect((await runCheck('check-category-evidence', id)).categoryEvidenceCheck!.passed).toBe(
      true,
    );
  });

  it('given conscript service only, then the category-10 check fails and records the years', async () => {
    const id = await applicationOf(personaOf('category-10-fail-conscript-only'));
    const vars = await runCheck('check-category-evidence', id);
    expect(vars.categoryEvidenceCheck!.reasons).toEqual(['conscript-service-only']);
    expect((await recordedCheck(id, 'category-evidence')).detail).toEqual(
      expect.objectContaining({
        evidence: { militaryYears: 0, conscriptYears: 1.5, militaryStatus: 'reserve' },
      }),
    );
  });

  it('given a category-8 applicant, then only the identity and degrees registries are asked', async () => {
    standin.reset();
    const id = await applicationOf(personaOf('category-8-pass'));
    expect((await runCheck('check-category-evidence', id)).categoryEvidenceCheck!.passed).toBe(
      true,
    );
    expect(standin.calls).toEqual(
      expect.objectContaining({
        identity: 1,
        degrees: 1,
        'civil-status': 0,
        'service-records': 0,
      }),
    );
  });
});

describe('check-property', () => {
  it('given a family owning dwellings, then the check passes (003 §2 sets no such bar) and records count and area only', async () => {
    const id = await applicationOf(personaOf('owns-dwelling'));
    const vars = await runCheck('check-property', id);
    expect(vars.propertyCheck).toEqual({
      passed: true,
      reasons: [],
      legalGround: '003 §2.1; 003 §2.2; 003 §5.5',
    });
    const recorded = await recordedCheck(id, 'property');
    expect(recorded.detail).toEqual({
      groundCode: 'property-not-a-condition',
      reasons: [],
      notes: ['owns-dwelling'],
      dwellingCount: 2,
      totalAreaM2: 165.5,
    });
    expect(JSON.stringify(recorded.detail)).not.toMatch(/Uydurma/);
  });

  it('given a FIN the real-estate registry does not know, then nothing is held and the check passes', async () => {
    const id = await applicationOf(personaOf('unknown-fin'));
    const vars = await runCheck('check-property', id);
    expect(vars.propertyCheck!.passed).toBe(true);
    expect((await recordedCheck(id, 'property')).detail).toEqual(
      expect.objectContaining({ dwellingCount: 0, totalAreaM2: 0 }),
    );
  });
});

describe('registry outage', () => {
  it('given the identity registry answers 503 once, then the job is retried and succeeds, and no failed check is ever recorded', async () => {
    standin.reset();
    standin.failNext('identity', 1);
    const id = await applicationOf(personaOf('category-4-pass'));
    const vars = await runCheck('check-identity', id);
    expect(vars.identityCheck!.passed).toBe(true);
    expect(standin.calls.identity).toBe(2);
    const audits = await checkAudits(id);
    expect(audits.map((a) => a.action)).toEqual(['check-passed']);
    expect(t.logs.text).toMatch(/registry identity: HTTP 503/);
  });

  it('given the category registries fail twice, then the check still ends with the right result', async () => {
    standin.reset();
    standin.failNext('service-records', 2);
    const id = await applicationOf(personaOf('category-4-fail-2-years'));
    const vars = await runCheck('check-category-evidence', id);
    expect(vars.categoryEvidenceCheck!.reasons).toEqual(['civil-service-under-3-years']);
    expect(standin.calls['service-records']).toBe(3);
    expect((await checkAudits(id)).map((a) => a.action)).toEqual(['check-failed']);
  });

  it('given an outage longer than the retries, then the job ends in an incident and no check is recorded', async () => {
    standin.reset();
    standin.failNext('civil-status', 3);
    const id = await applicationOf(personaOf('category-9-pass'));
    await startProbe(t.engine, 'probe-check-civil-status', { applicationId: id });
    await eventually(async () => standin.calls['civil-status'] === 3, 20_000);
    await eventually(async () => /incident raised/.test(t.logs.text), 5_000);
    expect(await recordedCheck(id, 'civil-status')).toBeUndefined();
    expect(await checkAudits(id)).toEqual([]);
  });
});

describe('every persona through the category-evidence worker', () => {
  it.each(PERSONAS.map((p) => [p.key, p] as const))(
    'given persona %s, then the recorded check says what the persona table expects',
    async (_key, p) => {
      const id = await applicationOf(p);
      const vars = await runCheck('check-category-evidence', id);
      expect(vars.categoryEvidenceCheck!.passed).toBe(p.expected.categoryEvidence);
      expect((await recordedCheck(id, 'category-evidence')).passed).toBe(
        p.expected.categoryEvidence,
      );
    },
  );
});

describe('an application row without form data', () => {
  it('given an empty form, then the identity check still runs on the registry and passes with a note', async () => {
    const p = personaOf('category-9-pass');
    const id = await applicationOf({ ...p, application: { ...p.application, form: {} } });
    const vars = await runCheck('check-identity', id);
    expect(vars.identityCheck!.passed).toBe(true);
    expect((await recordedCheck(id, 'identity')).detail).toEqual(
      expect.objectContaining({ notes: ['id-card-not-on-form'] }),
    );
  });
});

describe('personal data', () => {
  it('given every check above, then no synthetic FIN, ID number or name reached the logs', () => {
    expect(t.logs.lines.length).toBeGreaterThan(0);
    expect(t.logs.text).not.toMatch(/SY[0-9A-Z]{5}|(?<!\d)99\d{5}(?!\d)|Sınaqov|Persona /);
  });
});
