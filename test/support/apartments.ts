import { addDays, civilDateInBaku, type CivilDate } from '../../src/domain/calendar.js';
import { createServiceClient } from '../../src/auth/accounts.js';
import { as, PORTAL } from './auth.js';
import { eventually, type TestStack } from './stack.js';
import { fireTimer } from './timers.js';

/** A MİDA officer (reviewer of the body mida). */
export const OFFICER = as('reviewer-1');
export const MORTGAGE_SYSTEM_TOKEN = 'test-token-mortgage-system-0123456789';
export const MORTGAGE_SYSTEM = { authorization: `Bearer ${MORTGAGE_SYSTEM_TOKEN}` };

/** The mortgage e-system as a service client (role registry: the outside systems' role). */
export async function seedMortgageSystem(t: TestStack): Promise<void> {
  await createServiceClient(
    t.stack.db.pool,
    'mortgage-system',
    ['registry'],
    MORTGAGE_SYSTEM_TOKEN,
  );
}

export const today = (): CivilDate => civilDateInBaku(new Date());

/** A complete announcement (003 §4.3–4.4) of `rooms` apartments, selection from today + 30 days. */
export function announcementBody(
  over: {
    builtPercent?: number;
    paymentMethod?: string;
    startsInDays?: number;
    apartments?: number;
    price?: number;
  } = {},
) {
  const start = addDays(today(), over.startsInDays ?? 30);
  const n = over.apartments ?? 4;
  const price = over.price ?? 5_900_000;
  return {
    builtPercent: over.builtPercent ?? 45,
    content: {
      buildingAddress: 'Bakı şəhəri, Yasamal rayonu, Yeni Yasamal, bina 7',
      buildingAreaM2: 1800,
      landAreaM2: 5200,
      offers: [{ rooms: 2, count: n, priceQepik: price }],
      howToApply: '“Güzəştli mənzil” sistemi vasitəsilə',
      completionDate: addDays(today(), 400),
      website: 'https://mida.gov.az/yasamal-7',
      selectionStartsOn: start,
      selectionEndsOn: addDays(start, 29),
      generalContractor: { name: 'Tikinti MMC', address: 'Bakı, Nərimanov r.' },
      paymentMethod: over.paymentMethod ?? 'mortgage-and-own-funds',
      electronic: true,
      masterPlan: 'https://mida.gov.az/yasamal-7/bas-plan',
      agentBanks: [{ name: 'Bank A', headOffice: 'Bakı, Nizami küç. 1', branches: [] }],
    },
    apartments: Array.from({ length: n }, (_, i) => ({
      building: 'B1',
      number: String(i + 1),
      address: 'Bakı, Yasamal, Yeni Yasamal 7',
      rooms: 2,
      floor: 1 + (i % 9),
      areaM2: 64.5,
      priceQepik: price,
    })),
  };
}

export async function announcementStatus(t: TestStack, id: string): Promise<Record<string, any>> {
  const res = await t.api('/api/v1/officer/mida/announcements', { headers: OFFICER });
  return res.body.items.find((a: { id: string }) => a.id === id);
}

/** Drafts and asks for publication; waits until the process published or refused it. */
export async function publish(
  t: TestStack,
  body = announcementBody(),
): Promise<{ id: string; status: string; a: any }> {
  const d = await t.api('/api/v1/officer/mida/announcements', { body, headers: OFFICER });
  if (d.status !== 201) throw new Error(`draft: ${d.status} ${JSON.stringify(d.body)}`);
  const p = await t.api(`/api/v1/officer/mida/announcements/${d.body.id}/publish`, {
    body: {},
    headers: OFFICER,
  });
  if (p.status !== 202) throw new Error(`publish: ${p.status} ${JSON.stringify(p.body)}`);
  const a = await eventually(async () => {
    const x = await announcementStatus(t, d.body.id);
    return x && x.status !== 'checking' ? x : undefined;
  }, 60_000);
  return { id: d.body.id, status: a.status, a };
}

/** A published announcement with selection opened (its start timer fired at its due date). */
export async function openAnnouncement(t: TestStack, body = announcementBody()): Promise<string> {
  const { id, status, a } = await publish(t, body);
  if (status !== 'published') throw new Error(`not published: ${JSON.stringify(a.refusal)}`);
  await fireTimer(
    t.engine,
    { businessKey: id, activityId: 'selection-start-day' },
    `${a.selectionStartsOn}T00:00:00+04:00`,
  );
  await eventually(
    async () => ((await announcementStatus(t, id)).status === 'open' ? true : undefined),
    60_000,
  );
  return id;
}

let finSeq = 0;
/** A cabinet holder: an application granted the electronic cabinet (003 §5.5), e-mail and SMS given. */
export async function holder(t: TestStack): Promise<string> {
  finSeq += 1;
  const fin = `AP${String(finSeq).padStart(5, '0')}`;
  const { rows } = await t.stack.db.pool.query<{ id: string }>(
    `INSERT INTO application (applicant_fin, category, status, form, registration_number, submitted_at, decided_at)
     VALUES ($1, 9, 'approved', $2, next_registration_number(), now(), now()) RETURNING id`,
    [
      fin,
      JSON.stringify({ email: `${fin.toLowerCase()}@example.az`, smsOptIn: false, lang: 'az' }),
    ],
  );
  return rows[0]!.id;
}

export async function freeApartments(
  t: TestStack,
  announcementId: string,
  query = '',
): Promise<any[]> {
  const res = await t.api(`/api/v1/apartment-announcements/${announcementId}/apartments${query}`, {
    headers: PORTAL,
  });
  if (res.status !== 200) throw new Error(`apartments: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.items;
}

export const select = (
  t: TestStack,
  applicationId: string,
  apartmentId: string,
  paymentMethod = 'own-funds',
) =>
  t.api(`/api/v1/cabinet/${applicationId}/selections`, {
    body: { apartmentId, paymentMethod },
    headers: PORTAL,
  });
export const wait = (
  t: TestStack,
  applicationId: string,
  apartmentId: string,
  paymentMethod = 'own-funds',
) =>
  t.api(`/api/v1/cabinet/${applicationId}/waiting-selections`, {
    body: { apartmentId, paymentMethod },
    headers: PORTAL,
  });
export const cabinet = async (t: TestStack, applicationId: string) =>
  (await t.api(`/api/v1/cabinet/${applicationId}/apartment`, { headers: PORTAL })).body;

/** The notices queued for a selection: template and channel, in order. */
export async function noticesOf(
  t: TestStack,
  selectionId: string,
): Promise<{ template: string; channel: string }[]> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT template, channel FROM notice_outbox WHERE case_type = 'apartment-selection' AND case_id = $1 ORDER BY id`,
    [selectionId],
  );
  return rows;
}

export async function selectionRow(
  t: TestStack,
  selectionId: string,
): Promise<Record<string, any>> {
  const { rows } = await t.stack.db.pool.query(
    `SELECT s.*, to_char(s.due_on, 'YYYY-MM-DD') AS due, p.state AS apartment_state
       FROM apartment_selection s JOIN apartment p ON p.id = s.apartment_id WHERE s.id = $1`,
    [selectionId],
  );
  return rows[0];
}

/** Waits until the selection's process has reached a state the test can act on. */
export const until = (
  t: TestStack,
  selectionId: string,
  ok: (s: Record<string, any>) => boolean,
  ms = 60_000,
) =>
  eventually(async () => {
    const s = await selectionRow(t, selectionId);
    return s && ok(s) ? s : undefined;
  }, ms);
