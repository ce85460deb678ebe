import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PORTAL } from '../support/auth.js';
import {
  announcementBody,
  announcementStatus,
  OFFICER,
  publish,
  today,
} from '../support/apartments.js';
import { checkAnswers, type AnswerLog } from '../support/openapi-answers.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';
import { fireTimer } from '../support/timers.js';

let t: TestStack;
let answers: AnswerLog;
beforeAll(async () => {
  t = await startTestStack();
  answers = checkAnswers(t);
}, 180_000);
afterAll(async () => {
  await t?.stop();
});

describe('apartment announcement process (003 §3.5, §4, §5.8)', () => {
  it('003 §4.3.8, §5.8: given a complete announcement of a 45 % built building, when published, then selection opens on the start day and stops at the end of the last day', async () => {
    const body = announcementBody();
    const { id, status, a } = await publish(t, body);
    expect(status).toBe('published');
    expect(a.publishedOn).toBe(today());
    // not open before its start day: the portal does not list it
    const before = await t.api('/api/v1/apartment-announcements', { headers: PORTAL });
    expect(before.body.items.map((x: { id: string }) => x.id)).not.toContain(id);

    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'selection-start-day' },
      `${body.content.selectionStartsOn}T00:00:00+04:00`,
    );
    await eventually(async () =>
      (await announcementStatus(t, id)).status === 'open' ? true : undefined,
    );
    const open = await t.api('/api/v1/apartment-announcements', { headers: PORTAL });
    expect(open.body.items.map((x: { id: string }) => x.id)).toContain(id);

    await fireTimer(
      t.engine,
      { businessKey: id, activityId: 'selection-period-over' },
      `${body.content.selectionEndsOn}T23:59:59.999+04:00`,
    );
    await eventually(async () =>
      (await announcementStatus(t, id)).status === 'closed' ? true : undefined,
    );
  });

  it('003 §4.1: given a building 29 % built, when publication is asked, then the announcement is refused naming builtPercent', async () => {
    const { status, a } = await publish(t, announcementBody({ builtPercent: 29 }));
    expect(status).toBe('refused');
    expect(a.refusal.problems).toEqual([
      expect.objectContaining({ field: 'builtPercent', citation: '003 §4.1' }),
    ]);
  });

  it('003 §4.2: given selection starting 29 days after today, when publication is asked, then it is refused naming selectionStartsOn', async () => {
    const { status, a } = await publish(t, announcementBody({ startsInDays: 29 }));
    expect(status).toBe('refused');
    expect(a.refusal.problems).toEqual([
      expect.objectContaining({ field: 'selectionStartsOn', citation: '003 §4.2' }),
    ]);
  });

  it('003 §3.5: given an own-funds-only announcement just published, when a second own-funds-only one is asked, then it is refused; a mortgage one is published', async () => {
    const first = await publish(t, announcementBody({ paymentMethod: 'own-funds-only' }));
    expect(first.status).toBe('published');
    const second = await publish(t, announcementBody({ paymentMethod: 'own-funds-only' }));
    expect(second.status).toBe('refused');
    expect(second.a.refusal.problems).toEqual([
      expect.objectContaining({ field: 'paymentMethod', citation: '003 §3.5' }),
    ]);
    const third = await publish(t, announcementBody());
    expect(third.status).toBe('published');
  });

  it('003 §4.3.3: given 4 apartments announced but 3 listed, when publication is asked, then it is refused naming apartments', async () => {
    const body = announcementBody();
    body.apartments.pop();
    const { status, a } = await publish(t, body);
    expect(status).toBe('refused');
    expect(a.refusal.problems).toEqual([
      expect.objectContaining({ field: 'apartments', citation: '003 §4.3.3' }),
    ]);
  });

  it('given a draft without a website and a bad selection start, when drafted, then 400 names both fields and nothing is stored', async () => {
    const body = announcementBody() as any;
    delete body.content.website;
    body.content.selectionStartsOn = '2027-02-30';
    const before = (await t.api('/api/v1/officer/mida/announcements', { headers: OFFICER })).body
      .items.length;
    const res = await t.api('/api/v1/officer/mida/announcements', { body, headers: OFFICER });
    expect(res.status).toBe(400);
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining(['content.website', 'content.selectionStartsOn']),
    );
    expect(
      (await t.api('/api/v1/officer/mida/announcements', { headers: OFFICER })).body.items.length,
    ).toBe(before);
  });

  it('given an announcement already submitted, when publication is asked again, then 409', async () => {
    const { id } = await publish(t, announcementBody({ startsInDays: 31 }));
    const res = await t.api(`/api/v1/officer/mida/announcements/${id}/publish`, {
      body: {},
      headers: OFFICER,
    });
    expect(res.status).toBe(409);
  });

  it('given a reviewer of another body, when drafting an announcement, then 403', async () => {
    const res = await t.api('/api/v1/officer/mida/announcements', {
      body: announcementBody(),
      headers: { authorization: 'Bearer test-token:r2' },
    });
    expect(res.status).toBe(403);
  });
});

// Last: it reads the answers every case above got (jest runs a file's tests in order).
describe('the OpenAPI document (issue 15)', () => {
  it('given every success answer of the announcements above, then each conforms to the document', () => {
    expect(answers.problems).toEqual([]);
    expect([...answers.operations]).toEqual(
      expect.arrayContaining([
        'get /api/v1/apartment-announcements',
        'get /api/v1/officer/{body}/announcements',
        'post /api/v1/officer/{body}/announcements',
        'post /api/v1/officer/{body}/announcements/{id}/publish',
      ]),
    );
  });
});
