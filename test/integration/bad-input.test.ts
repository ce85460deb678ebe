import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createDraft } from '../../src/cases/application.js';
import { MAX_MODEL_CHARS } from '../../src/api/analyst.js';
import { as } from '../support/auth.js';
import { startApiWithEngine, tableDigest, type ApiWithEngine } from '../support/api-engine.js';
import { JPEG, pdf, png } from '../support/scans.js';

/**
 * Issue #14, bad input: control characters refused at the schema on every route family, the
 * request's shape checked against its OpenAPI operation, uploads typed and limited while they
 * stream, and unsafe XML refused. Each refusal is a 4xx naming the field and changes nothing.
 */

let t: ApiWithEngine;
const REGISTRY_EVENTS_TOKEN = 'bad-input-registry-token-0123456789';
const savedToken = process.env.REGISTRY_EVENTS_TOKEN;
let draftId: string;

beforeAll(async () => {
  process.env.REGISTRY_EVENTS_TOKEN = REGISTRY_EVENTS_TOKEN;
  t = await startApiWithEngine();
  draftId = (await createDraft(t.pool, { applicantFin: '5BAD001', form: {} }, 'test')).id;
}, 300_000);

afterAll(async () => {
  if (savedToken === undefined) delete process.env.REGISTRY_EVENTS_TOKEN;
  else process.env.REGISTRY_EVENTS_TOKEN = savedToken;
  await t?.stop();
});

interface Answer {
  status: number;
  body: any;
}

async function call(
  method: string,
  urlPath: string,
  opts: {
    as?: string;
    body?: unknown;
    raw?: string;
    type?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    ...(opts.as === 'anonymous' ? {} : as(opts.as ?? 'operator-1')),
    ...opts.headers,
  };
  const body = opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers['content-type'] = opts.type ?? 'application/json';
  const res = await fetch(t.base + urlPath, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}

const fields = (a: Answer): string[] =>
  (a.body?.errors ?? []).map((e: { field: string }) => e.field);

/** Calls, and checks that no row of any table changed. */
async function unchanged(fn: () => Promise<Answer>): Promise<Answer> {
  const before = await tableDigest(t.pool);
  const answer = await fn();
  const after = await tableDigest(t.pool);
  expect(Object.keys(after).filter((k) => before[k] !== after[k])).toEqual([]);
  return answer;
}

// ---------------------------------------------------------------------------------------

describe('control characters are refused at the schema with 400 naming the field', () => {
  it('given a NUL in the user name, when signing in, then 400 names username', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/session', {
        as: 'anonymous',
        body: { username: 'adm\u0000in', password: 'whatever-1' },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['username']);
  });

  it('given a NUL in a display name, when an administrator creates an account, then 400 names displayName', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/accounts', {
        as: 'admin-1',
        body: { id: 'nul-test', displayName: 'Ad\u0000', roles: ['operator'] },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['displayName']);
  });

  it('given a NUL in the account id of the path, when an account is changed, then 400 names id', async () => {
    const a = await unchanged(() =>
      call('PATCH', '/api/v1/accounts/analyst%001', {
        as: 'admin-1',
        body: { displayName: 'Renamed' },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['id']);
  });

  it('given an escape character in an application form field, when the portal changes the draft, then 400 names the field', async () => {
    const a = await unchanged(() =>
      call('PATCH', `/api/v1/applications/${draftId}`, {
        as: 'portal',
        body: { form: { registrationAddress: 'Bakı \u001b[2J küçəsi 5' } },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['form.registrationAddress']);
  });

  it('given a NUL in the decision ground, when a reviewer decides, then 400 names legalGround before any task is looked up', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/review-tasks/7c9e6679-7425-40de-944b-e07fc1f90ae7/decision', {
        as: 'reviewer-1',
        body: {
          outcome: 'refuse',
          legalGround: '003-5.7\u0000',
          reason: 'the documents do not prove the category',
        },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['legalGround']);
  });

  it('given a C1 control character in a waitlist registration note, when a body files it, then 400 names note', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/waitlist/baku-nasimi/registrations', {
        as: 'registrar-all',
        body: { note: 'see \u0085 attached' },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toContain('note');
  });

  it('given a NUL in a detail of a registry event, when a registry reports it, then 400 names the detail', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/registry-events', {
        as: 'anonymous',
        headers: { authorization: `Bearer ${REGISTRY_EVENTS_TOKEN}` },
        body: {
          eventId: 'civil-status:2026:nul',
          source: 'civil-status',
          kind: 'death',
          fin: '5BAD002',
          occurredOn: '2026-01-05',
          details: { place: 'Bakı\u0000' },
        },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['details.place']);
  });

  it('given a bell character in a holiday name, when an operator stores the day, then 400 names nameAz', async () => {
    const a = await unchanged(() =>
      call('PUT', '/api/v1/calendar/days/2026-03-03', {
        body: {
          kind: 'holiday',
          nameAz: 'Bayram\u0007',
          nameEn: 'Holiday',
          sourceAz: 'sınaq',
          sourceEn: 'test',
        },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['nameAz']);
  });

  it('given a NUL in a query string, when an operator searches instances, then 400 names q', async () => {
    const a = await call('GET', '/api/v1/operator/process-instances?q=case%00id');
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['q']);
  });

  it('given a NUL in a model file name, when an analyst uploads it, then 400 names fileName', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/analyst/process-definitions', {
        as: 'analyst-1',
        body: { fileName: 'x\u0000.bpmn', xml: '<definitions/>' },
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['fileName']);
  });

  it('given a NUL in the application id of the path, when the portal reads it, then 400 names id', async () => {
    const a = await call('GET', '/api/v1/applications/%00', { as: 'portal' });
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['id']);
  });
});

describe('the request shape is checked against its OpenAPI operation', () => {
  it('given an unknown query parameter, when a list is read, then 400 names the parameter', async () => {
    const a = await call('GET', '/api/v1/legal-periods?debug=1');
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['debug']);
  });

  it('given a text body, when a calendar day is deleted, then 415 names content-type and the day stays', async () => {
    await call('PUT', '/api/v1/calendar/days/2026-03-04', {
      body: {
        kind: 'holiday',
        nameAz: 'Sınaq',
        nameEn: 'Test',
        sourceAz: 'sınaq',
        sourceEn: 'bad-input test',
      },
    });
    const a = await unchanged(() =>
      call('DELETE', '/api/v1/calendar/days/2026-03-04', { raw: 'delete it', type: 'text/plain' }),
    );
    expect(a.status).toBe(415);
    expect(fields(a)).toEqual(['content-type']);
  });

  it('given a JSON body with fields, when a route that takes none is called, then 400 names the body', async () => {
    const a = await unchanged(() =>
      call('POST', `/api/v1/applications/${draftId}/cancel`, { as: 'portal', body: { why: 1 } }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['body']);
  });

  it('given a path with a broken percent escape, when called, then 400 names the path', async () => {
    const a = await call('GET', '/api/v1/applications/%zz', { as: 'portal' });
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['path']);
  });

  it('given a JSON body in a charset other than UTF-8, when sent, then 415 names content-type', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/session', {
        as: 'anonymous',
        raw: '{"username":"a","password":"b"}',
        type: 'application/json; charset=latin1',
      }),
    );
    expect(a.status).toBe(415);
    expect(fields(a)).toEqual(['content-type']);
  });

  it('given a body nested 100 levels deep, when sent, then 400 says it is nested too deeply', async () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100; i++) deep = { a: deep };
    const a = await unchanged(() =>
      call('POST', '/api/v1/accounts', { as: 'admin-1', body: { id: 'deep', displayName: deep } }),
    );
    expect(a.status).toBe(400);
    expect(a.body.detail).toMatch(/nested deeper than 16 levels/);
  });

  it('given a "__proto__" field, when a body is sent, then 400 names it', async () => {
    const a = await unchanged(() =>
      call('PUT', '/api/v1/calendar/days/2026-03-05', {
        raw: '{"kind":"holiday","nameAz":"A","nameEn":"B","sourceAz":"c","sourceEn":"c","__proto__":{"x":1}}',
      }),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['__proto__']);
  });
});

// ---------------------------------------------------------------------------------------

async function upload(file: Buffer, name = 'scan.png', fieldsIn: Record<string, string> = {}) {
  const form = new FormData();
  form.append('kind', 'other');
  for (const [k, v] of Object.entries(fieldsIn)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file)]), name);
  const res = await fetch(`${t.base}/api/v1/applications/${draftId}/documents`, {
    method: 'POST',
    headers: as('portal'),
    body: form,
  });
  return { status: res.status, body: (await res.json()) as any };
}

describe('uploads: type by content, limits while streaming, malformed scans refused', () => {
  it('given a well-formed PDF named .png, when uploaded, then it is stored as a PDF (type read from the content)', async () => {
    const a = await upload(pdf(), 'scan.png');
    expect(a.status).toBe(201);
    expect(a.body.contentType).toBe('application/pdf');
  });

  it('given a well-formed JPEG, when uploaded, then it is stored as a JPEG', async () => {
    const a = await upload(JPEG, 'photo.pdf');
    expect([a.status, a.body.contentType]).toEqual([201, 'image/jpeg']);
  });

  it('given a PDF cut off before its end, when uploaded, then 400 names file, nothing is stored and the server keeps answering', async () => {
    const whole = pdf();
    const a = await unchanged(() => upload(whole.subarray(0, whole.length - 30), 'cut.pdf'));
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['file']);
    expect(a.body.detail).toMatch(/PDF/);
    expect((await call('GET', '/healthz', { as: 'anonymous' })).status).toBe(200);
  });

  it('given a PNG whose image data is corrupt, when uploaded, then 400 names file and nothing is stored', async () => {
    const a = await unchanged(() => upload(png(2, 2, Buffer.from('garbage, not deflate'))));
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['file']);
    expect(a.body.detail).toMatch(/corrupt/);
  });

  it('given a file name with a path traversal, when a good scan is uploaded, then the name reaches no path and is not kept', async () => {
    const target = path.join(os.tmpdir(), `bad-input-${process.pid}-evil.png`);
    const name = `../../../../../../..${target}`;
    const a = await upload(png(), name);
    expect(a.status).toBe(201);
    expect(fs.existsSync(target)).toBe(false);
    const { rows } = await t.pool.query(
      `SELECT to_jsonb(d) - 'content' AS row FROM application_document d WHERE id = $1`,
      [a.body.id],
    );
    expect(JSON.stringify(rows[0].row)).not.toContain('evil');
    expect(JSON.stringify(a.body)).not.toContain('evil');
  });

  // The refusal while streaming is specified in test/unit/upload-storage.test.ts; here the
  // whole request: each is refused by its type's rule, not by the 10 MB limit of the request.
  it('given a 12 MB upload that starts as a PNG, when sent, then 400 names file with the 2 MB limit of one page (000 §2.1.10)', async () => {
    const a = await unchanged(() => upload(Buffer.concat([png(), Buffer.alloc(12 * 1024 * 1024)])));
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['file']);
    expect(a.body.detail).toMatch(/at most 2 MB/);
  });

  it('given a 12 MB text file named .pdf, when sent, then 400 names file by its content type', async () => {
    const a = await unchanged(() =>
      upload(Buffer.alloc(12 * 1024 * 1024, 'plain text '), 'scan.pdf'),
    );
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['file']);
    expect(a.body.detail).toMatch(/the content is unknown/);
  });
});

// ---------------------------------------------------------------------------------------

const XXE = `<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="xxe" isExecutable="true"><bpmn:documentation>&xxe;</bpmn:documentation></bpmn:process>
</bpmn:definitions>`;

const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="lolz" isExecutable="true"><bpmn:documentation>&lol9;</bpmn:documentation></bpmn:process>
</bpmn:definitions>`;

/** Deployments in the engine's own tables. */
async function deploymentCount(): Promise<number> {
  const { rows } = await t.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM operaton.act_re_deployment',
  );
  return rows[0]!.n;
}

describe('XML: BPMN uploads and registry events', () => {
  const uploadModel = (xml: string) =>
    call('POST', '/api/v1/analyst/process-definitions', {
      as: 'admin-1',
      body: { fileName: 'attack.bpmn', xml, allowNewProcess: true },
    });

  it('given a model with an external entity (XXE), when uploaded, then 400 names xml and nothing is deployed', async () => {
    const before = await deploymentCount();
    const a = await unchanged(() => uploadModel(XXE));
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['xml']);
    expect(a.body.detail).toMatch(/DOCTYPE/);
    expect(await deploymentCount()).toBe(before);
  });

  it('given a model with nested entities (billion laughs), when uploaded, then 400 names xml and nothing is deployed', async () => {
    const before = await deploymentCount();
    const a = await unchanged(() => uploadModel(LAUGHS));
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['xml']);
    expect(await deploymentCount()).toBe(before);
  });

  it('given malformed XML, when uploaded, then 422 names the parse problem and nothing is deployed', async () => {
    const before = await deploymentCount();
    const a = await unchanged(() =>
      uploadModel(
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"><bpmn:process id="p">',
      ),
    );
    expect(a.status).toBe(422);
    expect(a.body.problems).toEqual([expect.objectContaining({ rule: 'xml-parse' })]);
    expect(await deploymentCount()).toBe(before);
  });

  it(`given a model over ${MAX_MODEL_CHARS} characters, when uploaded, then 400 names xml`, async () => {
    const a = await unchanged(() => uploadModel(`<a>${'x'.repeat(MAX_MODEL_CHARS)}</a>`));
    expect(a.status).toBe(400);
    expect(fields(a)).toEqual(['xml']);
    expect(a.body.detail).toMatch(/larger than/);
  });

  it('given an upload over 1 MB, when sent, then 413 names the body', async () => {
    const a = await unchanged(() => uploadModel('x'.repeat(1_100_000)));
    expect(a.status).toBe(413);
    expect(fields(a)).toEqual(['body']);
  });

  it('given a registry event sent as XML, when a registry posts it, then 415 names content-type (the intake takes JSON only)', async () => {
    const a = await unchanged(() =>
      call('POST', '/api/v1/registry-events', {
        as: 'anonymous',
        headers: { authorization: `Bearer ${REGISTRY_EVENTS_TOKEN}` },
        raw: XXE,
        type: 'application/xml',
      }),
    );
    expect(a.status).toBe(415);
    expect(fields(a)).toEqual(['content-type']);
  });
});
