import { PORTAL } from '../support/auth.js';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { completeForm, createDraft, SIGNED, statusOf, submitNew } from '../support/applications.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { png } from '../support/scans.js';

let t: TestStack;
beforeAll(async () => {
  t = await startTestStack();
});
afterAll(async () => {
  await t?.stop();
});

// a well-formed PNG (the upload refuses one whose image data is corrupt)
const PNG = png();

async function upload(id: string, file: Buffer, fields: Record<string, string>, name = 'scan.png') {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const res = await fetch(`${t.stack.apiUrl}/api/v1/applications/${id}/documents`, {
    method: 'POST',
    headers: PORTAL,
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('portal: applications', () => {
  it('given applications submitted one after another, then registration numbers follow submission order (003 §5.5)', async () => {
    const numbers: number[] = [];
    for (const fin of ['8AA0001', '8AA0002', '8AA0003'])
      numbers.push((await submitNew(t, fin)).registrationNumber);
    expect([...numbers].sort((a, b) => a - b)).toEqual(numbers);
    expect(new Set(numbers).size).toBe(3);
  });

  it('given invalid input, when a draft is started, then 400 names every bad field and nothing is stored', async () => {
    const before = await t.stack.db.pool.query('SELECT count(*)::int AS n FROM application');
    const res = await t.api('/api/v1/applications', {
      body: { applicantFin: '12', form: { category: 0, email: 'x' }, extra: 1 },
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['applicantFin', 'form.category', 'form.email']),
    );
    const after = await t.stack.db.pool.query('SELECT count(*)::int AS n FROM application');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('given a submission without consent and confirmation, then 400 names both and the draft stays a draft', async () => {
    const { id } = await createDraft(t, '8AA0010', completeForm());
    const res = await t.api(`/api/v1/applications/${id}/submit`, {
      body: { consentToRegistryQueries: false },
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'consentToRegistryQueries',
      'confirmsDataTrue',
    ]);
    expect((await statusOf(t, id)).status).toBe('draft');
  });

  it('given an incomplete draft, when submitted, then 400 names what is missing', async () => {
    const { id } = await createDraft(t, '8AA0011', { category: 9 });
    const res = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['email', 'mobilePhone', 'registrationAddress']),
    );
  });

  it('given malformed JSON, then 400 names the body', async () => {
    const res = await t.api('/api/v1/applications', { body: '{"applicantFin":' });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body', message: 'not valid JSON' }]);
  });

  it('given an unknown or malformed id, then 404 or 400 names the id', async () => {
    expect((await t.api('/api/v1/applications/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    const bad = await t.api('/api/v1/applications/not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('id');
  });
});

describe('portal: documents (000 §2.1.10)', () => {
  it('given a PNG scan with a 13-digit notarial barcode, then it is stored with the type read from its content', async () => {
    const { id } = await createDraft(t, '8AA0020', completeForm());
    const res = await upload(
      id,
      PNG,
      { kind: 'category-evidence', notarialBarcode: '1234567890123', issuer: 'Notariat 5' },
      'scan.pdf',
    );
    expect(res.status).toBe(201);
    expect(res.body).toEqual(
      expect.objectContaining({ kind: 'category-evidence', contentType: 'image/png' }),
    );
    expect((await statusOf(t, id)).documents).toHaveLength(1);
  });

  it('given a text file named .pdf, then it is refused naming the file', async () => {
    const { id } = await createDraft(t, '8AA0021', completeForm());
    const res = await upload(
      id,
      Buffer.from('just text, not a PDF'),
      { kind: 'other' },
      'fake.pdf',
    );
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('file');
  });

  it('given an image over 2 MB, then it is refused: one page may be at most 2 MB', async () => {
    const { id } = await createDraft(t, '8AA0022', completeForm());
    const big = Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]);
    const res = await upload(id, big, { kind: 'other' });
    expect(res.status).toBe(400);
    expect(res.body.detail).toMatch(/2 MB/);
  });

  it('given a 12-digit barcode, then 400 names notarialBarcode and nothing is stored', async () => {
    const { id } = await createDraft(t, '8AA0023', completeForm());
    const res = await upload(id, PNG, { kind: 'other', notarialBarcode: '123456789012' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('notarialBarcode');
    expect((await statusOf(t, id)).documents).toHaveLength(0);
  });

  it('given a single parent in a young-family category, then submission needs the child’s birth certificate, and passes with it', async () => {
    const form = completeForm({
      maritalStatus: 'divorced',
      singleParent: true,
      children: [{ birthDate: '2021-05-01' }],
      category: 4,
      categoryDetails: { specialCivilService: false },
    });
    const { id } = await createDraft(t, '8AA0024', form);
    const without = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
    expect(without.status).toBe(400);
    expect(without.body.errors[0].field).toBe('documents');
    await upload(id, PNG, {
      kind: 'child-birth-certificate',
      notarialBarcode: '1234567890123',
      issueDate: '2021-05-20',
      issuer: 'Nəsimi rayon VVAQ şöbəsi',
    });
    expect((await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED })).status).toBe(200);
  });
});

describe('000 §2.1.5 category questions and 000 §2.1.10–2.1.11 document details, required at submission', () => {
  it('000 §2.1.5 (1), (2): given a martyr-family or National Hero applicant without kinship (and a hero’s child without alive/deceased), then submission answers 400 naming each field and the draft stays', async () => {
    const married = {
      maritalStatus: 'married',
      marriageCountry: 'Azerbaijan',
      spouse: { fin: '8AB0031' },
    };
    const martyr = await createDraft(t, '8AA0030', completeForm({ ...married, category: 1 }));
    const res1 = await t.api(`/api/v1/applications/${martyr.id}/submit`, { body: SIGNED });
    expect(res1.status).toBe(400);
    expect(res1.body.errors.map((e: { field: string }) => e.field)).toContain(
      'categoryDetails.kinship',
    );
    expect((await statusOf(t, martyr.id)).status).toBe('draft');
    const hero = await createDraft(
      t,
      '8AA0032',
      completeForm({
        maritalStatus: 'married',
        marriageCountry: 'Azerbaijan',
        spouse: { fin: '8AB0033' },
        category: 2,
        categoryDetails: { kinship: 'child' },
      }),
    );
    const res2 = await t.api(`/api/v1/applications/${hero.id}/submit`, { body: SIGNED });
    expect(res2.status).toBe(400);
    expect(res2.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'categoryDetails.heroStatus',
    ]);
  });

  it('000 §2.1.5 (10): given a serviceman who does not say reserve/retired or serving, then 400 names categoryDetails.militaryStatus; answered, the draft (kept lenient) is submitted', async () => {
    const { id } = await createDraft(t, '8AA0034', completeForm({ category: 10 }));
    const res = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'categoryDetails.militaryStatus',
    ]);
    const patch = await t.api(`/api/v1/applications/${id}`, {
      method: 'PATCH',
      body: { form: { categoryDetails: { militaryStatus: 'reserve_or_retired' } } },
    });
    expect(patch.status).toBe(200);
    expect((await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED })).status).toBe(200);
  });

  it('000 §2.1.10–2.1.11: given a document uploaded without issue date and issuer (allowed in a draft), then submission answers 400 naming both', async () => {
    const { id } = await createDraft(t, '8AA0035', completeForm());
    expect((await upload(id, PNG, { kind: 'category-evidence' })).status).toBe(201);
    const res = await t.api(`/api/v1/applications/${id}/submit`, { body: SIGNED });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'documents.category-evidence.issueDate',
      'documents.category-evidence.issuer',
    ]);
    expect((await statusOf(t, id)).status).toBe('draft');
  });
});

describe('crash safety and logs', () => {
  it('given a submission whose engine message is published twice (crash before it was marked sent), then no second review starts', async () => {
    const { id } = await submitNew(t, '9ZZ9ZZ9');
    await eventually(async () =>
      (await statusOf(t, id)).checks.some((c: { name: string }) => c.name === 'once-only-right'),
    );
    await t.stack.db.pool.query(
      `UPDATE engine_outbox SET published_at = NULL WHERE correlation_key = $1`,
      [id],
    );
    await t.stack.outbox.dispatch();
    await new Promise((r) => setTimeout(r, 1500));
    const audits = await t.stack.db.pool.query(
      `SELECT count(*)::int AS n FROM audit_event WHERE case_id = $1 AND action = 'review-deadline-set'`,
      [id],
    );
    expect(audits.rows[0].n).toBe(1);
  });

  it('given the submissions above, then no FIN, e-mail or phone reached the logs', () => {
    expect(t.logs.lines.length).toBeGreaterThan(0);
    expect(t.logs.text).not.toMatch(/8AA00|9ZZ9ZZ9|vetendas@example\.az|5550101/i);
  });
});

describe('service endpoints', () => {
  it('given the stack is up, then /healthz and /readyz answer 200 with database, engine and the outside systems up', async () => {
    expect((await t.api('/healthz')).status).toBe(200);
    const ready = await t.api('/readyz');
    expect(ready).toEqual(
      expect.objectContaining({
        status: 200,
        body: {
          status: 'ready',
          checks: {
            database: 'up',
            engine: 'up',
            registry: 'up',
            smsGateway: 'up',
            smtp: 'not-configured',
          },
        },
      }),
    );
  });

  it('given the API, then /api/openapi.json documents its paths and the problem shape', async () => {
    const { body } = await t.api('/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/applications',
        '/api/v1/applications/{id}/submit',
        '/api/v1/review-tasks',
        '/healthz',
        '/readyz',
      ]),
    );
    expect(body.components.schemas.Problem).toBeDefined();
  });

  it('given an unknown route, then 404 comes as a problem', async () => {
    const res = await t.api('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.title).toBe('Not found');
  });
});
