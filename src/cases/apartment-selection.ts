import type { Pool, PoolClient } from '../db/pool.js';
import { inTransaction } from '../db/pool.js';
import {
  CANCELLATION_GROUNDS,
  checkPreApproval,
  loanWithinLimit,
  LOAN_LIMIT,
  maxLoanQepik,
  nextWaitingSlot,
  noticeDeadline,
  promotionAfterCancellation,
  SELECTION_PERIODS,
  selectRefusal,
  waitingPosition,
  waitingRefusal,
  type ApartmentSlots,
  type CancellationGroundCode,
} from '../domain/apartment-selection.js';
import { civilDateInBaku, toBakuIsoString, type CivilDate } from '../domain/calendar.js';
import { enqueueCancelInstance, enqueueMessage } from '../engine/messages.js';
import { noticeContact, type ApplicationContactRow } from '../notify/contact.js';
import { enqueueNotice } from '../notify/outbox.js';
import type { NoticeTemplateName } from '../notify/templates.js';
import { recordAudit } from './audit.js';
import { loadCalendar, loadLegalPeriods } from './calendar-repository.js';
import { CaseError } from './errors.js';

/**
 * A cabinet holder's selection of an announced apartment (003 §5.6–§5.9, §6, §7). The lock
 * (§5.7) and the waiting slots (§5.7-1) are rows of apartment_selection, guarded by unique
 * indexes; every change here locks the apartment row first, so selections of one apartment are
 * serialized and two holders never both win.
 */
export const SELECTION_MESSAGES = {
  started: 'apartment-selection-started',
  notaryAppointed: 'notary-appointed',
  contractSigned: 'apartment-contract-signed',
  switched: 'switched-to-own-funds',
  bankApplied: 'bank-application-filed',
  bankDecided: 'bank-decided',
} as const;

export type SelectionPaymentMethod = 'own-funds' | 'mortgage';

const conflict = (message: string, field: string, detail = message) =>
  new CaseError('conflict', message, [{ field, message: detail }]);

interface HolderRow extends ApplicationContactRow {
  id: string;
  status: string;
  applicant_fin: string;
}

async function holderOf(tx: PoolClient, applicationId: string): Promise<HolderRow> {
  const { rows } = await tx.query<{ app: HolderRow }>(
    `SELECT to_jsonb(a) AS app FROM application a WHERE id = $1`,
    [applicationId],
  );
  const app = rows[0]?.app;
  if (!app)
    throw new CaseError('not-found', `no application ${applicationId}`, [
      { field: 'applicationId', message: 'no such application' },
    ]);
  // §1.2.4-1, §5.6: only a person granted the electronic cabinet selects.
  if (app.status !== 'approved')
    throw conflict(
      `application is ${app.status}: only a cabinet holder may select (003 §5.6)`,
      'applicationId',
      'not a cabinet holder',
    );
  return app;
}

interface ApartmentRow {
  id: string;
  announcement_id: string;
  building: string;
  number: string;
  address: string;
  price_qepik: string;
  state: string;
  announcement_status: string;
  payment_method: string;
}

async function lockApartment(tx: PoolClient, apartmentId: string): Promise<ApartmentRow> {
  const { rows } = await tx.query<ApartmentRow>(
    `SELECT p.id, p.announcement_id, p.building, p.number, p.address, p.price_qepik, p.state,
            a.status AS announcement_status, a.payment_method
       FROM apartment p JOIN announcement a ON a.id = p.announcement_id
      WHERE p.id = $1 FOR UPDATE OF p`,
    [apartmentId],
  );
  if (!rows[0])
    throw new CaseError('not-found', `no apartment ${apartmentId}`, [
      { field: 'apartmentId', message: 'no such apartment' },
    ]);
  return rows[0];
}

export const apartmentLabel = (a: { building: string; number: string; address: string }) =>
  `${a.address}, ${a.building}, mənzil ${a.number}`;

async function slotsOf(tx: PoolClient, apartmentId: string): Promise<ApartmentSlots> {
  const { rows } = await tx.query<{
    application_id: string;
    position: number;
    state: string;
    origin: string;
    waiting_slot: number | null;
  }>(
    `SELECT application_id, position, state, origin, waiting_slot FROM apartment_selection WHERE apartment_id = $1`,
    [apartmentId],
  );
  return {
    applicant: rows.find((r) => r.state === 'active' && r.position === 0)?.application_id,
    waiting: rows
      .filter((r) => r.state === 'active' && r.position > 0)
      .map((r) => ({ holder: r.application_id, slot: r.waiting_slot as 1 | 2 })),
    slotsTaken: rows.filter((r) => r.origin === 'waiting').length,
  };
}

async function holderInAnnouncement(tx: PoolClient, announcementId: string, applicationId: string) {
  const { rows } = await tx.query<{ origin: string }>(
    `SELECT origin FROM apartment_selection WHERE announcement_id = $1 AND application_id = $2`,
    [announcementId, applicationId],
  );
  return {
    hasSelected: rows.some((r) => r.origin === 'select'),
    hasWaited: rows.some((r) => r.origin === 'waiting'),
  };
}

/** §5.6: the mortgage only with a preliminary approval in the cabinet, less than a year old. */
async function preApprovalFor(
  tx: PoolClient,
  pool: Pool,
  applicationId: string,
  method: SelectionPaymentMethod,
  announcementMethod: string,
  today: CivilDate,
): Promise<string | null> {
  if (method === 'own-funds') return null;
  // §3.5, §4.3.10: an own-funds-only announcement offers no mortgage.
  if (announcementMethod === 'own-funds-only')
    throw new CaseError('invalid', 'this announcement is own-funds-only (003 §3.5, §4.3.10)', [
      { field: 'paymentMethod', message: 'the announcement offers own funds only (003 §4.3.10)' },
    ]);
  const { rows } = await tx.query<{ id: string; issued_on: CivilDate }>(
    `SELECT id, to_char(issued_on, 'YYYY-MM-DD') AS issued_on FROM bank_pre_approval
      WHERE application_id = $1 ORDER BY uploaded_at DESC, issued_on DESC LIMIT 1`,
    [applicationId],
  );
  // read through the transaction's own connection: never a second connection while holding one
  const [periods, calendar] = [await loadLegalPeriodsTx(tx), await loadCalendarTx(tx)];
  const check = checkPreApproval(rows[0]?.issued_on, today, periods, calendar);
  if (!check.ok)
    throw new CaseError('invalid', check.message, [
      { field: 'paymentMethod', message: check.message },
    ]);
  return rows[0]!.id;
}

async function cabinetNotice(
  tx: PoolClient,
  holder: ApplicationContactRow,
  caseId: string,
  key: string,
  template: NoticeTemplateName,
  params: Record<string, unknown>,
  opts: { allChannels?: boolean } = {},
): Promise<void> {
  const { recipient, channels } = noticeContact(holder);
  await enqueueNotice(tx, {
    idempotencyKey: key,
    caseType: 'apartment-selection',
    caseId,
    recipient,
    template,
    params,
    channels: opts.allChannels ? channels : ['cabinet'],
  });
}

function uniqueViolation(err: unknown): string | undefined {
  const e = err as { code?: string; constraint?: string };
  return e.code === '23505' ? (e.constraint ?? 'unique') : undefined;
}

/**
 * §5.7: the holder selects one apartment of an open announcement; it is locked for everyone else
 * at once and the holder is told in the cabinet immediately. The selection process starts.
 */
export async function selectApartment(
  pool: Pool,
  input: { applicationId: string; apartmentId: string; paymentMethod: SelectionPaymentMethod },
  actor: string,
  now = new Date(),
): Promise<{ selectionId: string; position: 0; noticeDueOn: CivilDate }> {
  const today = civilDateInBaku(now);
  try {
    return await inTransaction(pool, async (tx) => {
      const apt = await lockApartment(tx, input.apartmentId);
      if (apt.announcement_status !== 'open')
        throw conflict(
          `selection is not open in this announcement (003 §4.3.8, §5.8)`,
          'apartmentId',
          'the announcement is not open for selection',
        );
      const holder = await holderOf(tx, input.applicationId);
      const slots = await slotsOf(tx, apt.id);
      const refusal =
        selectRefusal(
          slots,
          await holderInAnnouncement(tx, apt.announcement_id, input.applicationId),
        ) ??
        (apt.state !== 'free'
          ? {
              code: 'apartment-not-free',
              message: `the apartment is ${apt.state}`,
              citation: '003 §5.7',
            }
          : undefined);
      if (refusal)
        throw conflict(
          refusal.message,
          refusal.code === 'already-selected' ? 'applicationId' : 'apartmentId',
          refusal.code,
        );
      const preApprovalId = await preApprovalFor(
        tx,
        pool,
        input.applicationId,
        input.paymentMethod,
        apt.payment_method,
        today,
      );
      // reference data, read only when the selection is allowed (a refused request stays cheap)
      const [periods, calendar] = [await loadLegalPeriodsTx(tx), await loadCalendarTx(tx)];
      const noticeDue = noticeDeadline(today, periods, calendar);
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO apartment_selection (announcement_id, apartment_id, application_id, origin, position, payment_method,
                                          pre_approval_id, selected_at, became_applicant_at, notice_due_on)
         VALUES ($1, $2, $3, 'select', 0, $4, $5, $6, $6, $7) RETURNING id`,
        [
          apt.announcement_id,
          apt.id,
          input.applicationId,
          input.paymentMethod,
          preApprovalId,
          now,
          noticeDue.dueDate,
        ],
      );
      const selectionId = rows[0]!.id;
      await tx.query(`UPDATE apartment SET state = 'selected', updated_at = now() WHERE id = $1`, [
        apt.id,
      ]);
      await recordAudit(tx, {
        caseType: 'apartment-selection',
        caseId: selectionId,
        actor,
        action: 'apartment-selected',
        legalGround: '003 §5.7',
        after: { apartmentId: apt.id, paymentMethod: input.paymentMethod },
      });
      await cabinetNotice(
        tx,
        holder,
        selectionId,
        `selected:${selectionId}`,
        'apartment-selected',
        {
          apartment: apartmentLabel(apt),
          selectedOn: today,
          noticeDueDate: noticeDue.dueDate,
        },
      );
      await enqueueMessage(tx, {
        name: SELECTION_MESSAGES.started,
        correlationKey: selectionId,
        messageId: `${SELECTION_MESSAGES.started}:${selectionId}`,
        // §6.1: the process's timer checks the notice's delivery at this instant
        variables: {
          selectionId,
          paymentMethod: input.paymentMethod,
          noticeDueAt: toBakuIsoString(noticeDue.dueAt),
        },
      });
      return { selectionId, position: 0 as const, noticeDueOn: noticeDue.dueDate };
    });
  } catch (err) {
    // The database's guard (§5.7): a concurrent selection won; the same answer as the code's.
    const c = uniqueViolation(err);
    if (c === 'apartment_selection_one_lock')
      throw conflict(
        'the apartment was just selected by another holder (003 §5.7); a waiting slot may be free (003 §5.7-1)',
        'apartmentId',
        'apartment-locked',
      );
    if (c)
      throw conflict(
        'a cabinet holder selects only one apartment per announcement (003 §5.7)',
        'applicationId',
        'already-selected',
      );
    throw err;
  }
}

/** §5.7-1: a waiting slot on a locked apartment, in order, one per holder per announcement. */
export async function takeWaitingSlot(
  pool: Pool,
  input: { applicationId: string; apartmentId: string; paymentMethod: SelectionPaymentMethod },
  actor: string,
  now = new Date(),
): Promise<{ selectionId: string; slot: 1 | 2; position: 1 | 2 }> {
  const today = civilDateInBaku(now);
  try {
    return await inTransaction(pool, async (tx) => {
      const apt = await lockApartment(tx, input.apartmentId);
      if (apt.announcement_status !== 'open')
        throw conflict(
          'selection is not open in this announcement (003 §4.3.8, §5.8)',
          'apartmentId',
          'the announcement is not open for selection',
        );
      const holder = await holderOf(tx, input.applicationId);
      const slots = await slotsOf(tx, apt.id);
      const refusal = waitingRefusal(
        slots,
        await holderInAnnouncement(tx, apt.announcement_id, input.applicationId),
        input.applicationId,
      );
      if (refusal)
        throw conflict(
          refusal.message,
          refusal.code === 'no-waiting-slot' || refusal.code === 'apartment-free'
            ? 'apartmentId'
            : 'applicationId',
          refusal.code,
        );
      const preApprovalId = await preApprovalFor(
        tx,
        pool,
        input.applicationId,
        input.paymentMethod,
        apt.payment_method,
        today,
      );
      const slot = nextWaitingSlot(slots);
      const { rows } = await tx.query<{ id: string }>(
        `INSERT INTO apartment_selection (announcement_id, apartment_id, application_id, origin, waiting_slot, position, payment_method, pre_approval_id, selected_at)
         VALUES ($1, $2, $3, 'waiting', $4, $4, $5, $6, $7) RETURNING id`,
        [
          apt.announcement_id,
          apt.id,
          input.applicationId,
          slot,
          input.paymentMethod,
          preApprovalId,
          now,
        ],
      );
      const selectionId = rows[0]!.id;
      const position = waitingPosition(
        { ...slots, waiting: [...slots.waiting, { holder: input.applicationId, slot }] },
        input.applicationId,
      )!;
      await recordAudit(tx, {
        caseType: 'apartment-selection',
        caseId: selectionId,
        actor,
        action: 'waiting-slot-taken',
        legalGround: '003 §5.7-1',
        after: { apartmentId: apt.id, slot },
      });
      await cabinetNotice(tx, holder, selectionId, `waiting:${selectionId}`, 'apartment-waiting', {
        apartment: apartmentLabel(apt),
        position: String(position),
      });
      return { selectionId, slot, position };
    });
  } catch (err) {
    const c = uniqueViolation(err);
    if (c === 'apartment_selection_waiting_slot')
      throw conflict(
        'the waiting slot was just taken by another holder (003 §5.7-1)',
        'apartmentId',
        'no-waiting-slot',
      );
    if (c)
      throw conflict(
        'a holder waits for only one apartment per announcement (003 §5.7-1)',
        'applicationId',
        'already-waiting',
      );
    throw err;
  }
}

interface SelectionRow {
  id: string;
  announcement_id: string;
  apartment_id: string;
  application_id: string;
  origin: string;
  position: number;
  state: string;
  payment_method: SelectionPaymentMethod;
  process_instance_key: string | null;
  notice_posted_on: CivilDate | null;
  due_code: string | null;
  due_on: CivilDate | null;
  notary: { name: string; address: string; date: CivilDate } | null;
  pre_approval_renewal_since: Date | null;
}

export async function loadSelection(
  db: Pool | PoolClient,
  id: string,
  lock = false,
): Promise<SelectionRow> {
  const { rows } = await db.query<SelectionRow>(
    `SELECT id, announcement_id, apartment_id, application_id, origin, position, state, payment_method, process_instance_key,
            to_char(notice_posted_on, 'YYYY-MM-DD') AS notice_posted_on, due_code, to_char(due_on, 'YYYY-MM-DD') AS due_on, notary,
            pre_approval_renewal_since
       FROM apartment_selection WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  if (!rows[0])
    throw new CaseError('not-found', `no selection ${id}`, [
      { field: 'selectionId', message: 'no such selection' },
    ]);
  return rows[0];
}

function requireApplicant(s: SelectionRow): void {
  if (s.state !== 'active' || s.position !== 0)
    throw conflict(
      `the selection is ${s.state === 'active' ? 'waiting' : s.state}: only the applicant’s live selection can do this`,
      'selectionId',
      `is ${s.state}`,
    );
}

/**
 * §5.9, §6.5: cancels the applicant's selection with its ground, tells the holder, and applies
 * §5.7-2/§5.7-3 (the next waiting holder becomes the applicant and is told; their selection
 * process starts) or lifts the lock (§5.9: the apartment goes to the next announcement).
 * Idempotent: a selection already cancelled is left as it is.
 */
export async function cancelSelectionTx(
  tx: PoolClient,
  selectionId: string,
  c: {
    ground: CancellationGroundCode;
    reason: string;
    actor: string;
    at: Date;
    cancelInstance: boolean;
  },
): Promise<{ promoted?: string; lockLifted: boolean } | undefined> {
  const pre = await loadSelection(tx, selectionId);
  const apt = await lockApartment(tx, pre.apartment_id);
  const s = await loadSelection(tx, selectionId, true);
  if (s.state !== 'active' || s.position !== 0) return undefined;
  const ground = CANCELLATION_GROUNDS[c.ground];
  await tx.query(
    `UPDATE apartment_selection SET state = 'cancelled', cancel_ground = $2, cancel_citation = $3, cancel_reason = $4,
            cancelled_by = $5, ended_at = $6, due_code = NULL, due_on = NULL WHERE id = $1`,
    [selectionId, ground.code, ground.citation, c.reason, c.actor, c.at],
  );
  await recordAudit(tx, {
    caseType: 'apartment-selection',
    caseId: selectionId,
    actor: c.actor,
    action: 'selection-cancelled',
    legalGround: ground.citation,
    reason: c.reason,
    after: { ground: ground.code },
  });
  const holder = await holderRow(tx, s.application_id);
  await cabinetNotice(
    tx,
    holder,
    selectionId,
    `cancelled:${selectionId}`,
    'apartment-selection-cancelled',
    { apartment: apartmentLabel(apt), legalGround: ground.citation, reason: c.reason },
    { allChannels: true },
  );
  if (c.cancelInstance && s.process_instance_key)
    await enqueueCancelInstance(tx, {
      processInstanceKey: s.process_instance_key,
      commandId: `cancel-selection:${selectionId}`,
    });
  const next = promotionAfterCancellation(await slotsOf(tx, apt.id));
  if (next.kind === 'lift-lock') {
    await tx.query(`UPDATE apartment SET state = 'released', updated_at = now() WHERE id = $1`, [
      apt.id,
    ]);
    await recordAudit(tx, {
      caseType: 'apartment',
      caseId: apt.id,
      actor: c.actor,
      action: 'lock-lifted',
      legalGround: next.citation,
    });
    return { lockLifted: true };
  }
  const { rows } = await tx.query<{ id: string; payment_method: string }>(
    `UPDATE apartment_selection SET position = 0, became_applicant_at = $3
      WHERE apartment_id = $1 AND application_id = $2 AND state = 'active' AND position > 0 RETURNING id, payment_method`,
    [apt.id, next.holder, c.at],
  );
  const promoted = rows[0]!;
  const [periods, calendar] = [await loadLegalPeriodsTx(tx), await loadCalendarTx(tx)];
  const noticeDue = noticeDeadline(civilDateInBaku(c.at), periods, calendar);
  await tx.query(`UPDATE apartment_selection SET notice_due_on = $2 WHERE id = $1`, [
    promoted.id,
    noticeDue.dueDate,
  ]);
  await recordAudit(tx, {
    caseType: 'apartment-selection',
    caseId: promoted.id,
    actor: c.actor,
    action: 'promoted-to-applicant',
    legalGround: next.citation,
    after: { fromSlot: next.fromSlot },
  });
  await cabinetNotice(
    tx,
    await holderRow(tx, next.holder),
    promoted.id,
    `promoted:${promoted.id}`,
    'apartment-promoted',
    {
      apartment: apartmentLabel(apt),
      legalGround: next.citation,
    },
  );
  if (promoted.payment_method === 'mortgage')
    await recheckPreApprovalAtPromotion(tx, promoted.id, next.holder, apt, c.at);
  await enqueueMessage(tx, {
    name: SELECTION_MESSAGES.started,
    correlationKey: promoted.id,
    messageId: `${SELECTION_MESSAGES.started}:${promoted.id}`,
    variables: {
      selectionId: promoted.id,
      paymentMethod: promoted.payment_method,
      noticeDueAt: toBakuIsoString(noticeDue.dueAt),
    },
  });
  return { promoted: promoted.id, lockLifted: false };
}

/**
 * §5.5-3, §5.6 at promotion (§5.7-2, §5.7-3): the mortgage needs a preliminary approval under one
 * year old when the waiting holder becomes the applicant. An older one does not undo the
 * promotion (the right to buy arises by §5.7-2); the holder is told in the cabinet to place a new
 * approval or to switch to own funds. No period of its own: the §6.3 period (10 working days from
 * the §6.1 notice) runs as for every mortgage applicant, and the mortgage e-system's bank
 * application is not taken without a valid approval, so with neither the §6.5.3 timer cancels.
 */
async function recheckPreApprovalAtPromotion(
  tx: PoolClient,
  selectionId: string,
  applicationId: string,
  apt: { building: string; number: string; address: string },
  at: Date,
): Promise<void> {
  const latest = await latestPreApproval(tx, applicationId);
  const [periods, calendar] = [await loadLegalPeriodsTx(tx), await loadCalendarTx(tx)];
  const check = checkPreApproval(latest?.issued_on, civilDateInBaku(at), periods, calendar);
  if (check.ok) {
    await tx.query(`UPDATE apartment_selection SET pre_approval_id = $2 WHERE id = $1`, [
      selectionId,
      latest!.id,
    ]);
    return;
  }
  await tx.query(
    `UPDATE apartment_selection SET pre_approval_renewal_since = $2 WHERE id = $1 AND pre_approval_renewal_since IS NULL`,
    [selectionId, at],
  );
  await recordAudit(tx, {
    caseType: 'apartment-selection',
    caseId: selectionId,
    actor: 'system:promotion',
    action: 'pre-approval-renewal-needed',
    legalGround: '003 §5.5-3, §5.6',
    after: { issuedOn: latest?.issued_on ?? null, reason: check.reason },
  });
  await cabinetNotice(
    tx,
    await holderRow(tx, applicationId),
    selectionId,
    `pre-approval-renewal:${selectionId}`,
    'apartment-pre-approval-renewal',
    { apartment: apartmentLabel(apt), issuedOn: latest?.issued_on ?? '' },
  );
}

async function latestPreApproval(
  tx: PoolClient,
  applicationId: string,
): Promise<{ id: string; issued_on: CivilDate } | undefined> {
  const { rows } = await tx.query<{ id: string; issued_on: CivilDate }>(
    `SELECT id, to_char(issued_on, 'YYYY-MM-DD') AS issued_on FROM bank_pre_approval
      WHERE application_id = $1 ORDER BY uploaded_at DESC, issued_on DESC LIMIT 1`,
    [applicationId],
  );
  return rows[0];
}

// The calendar and periods are read through the pool elsewhere; inside a transaction the same
// tables are read through it (they are reference data, read-only here).
async function loadLegalPeriodsTx(tx: PoolClient) {
  return loadLegalPeriods(tx as unknown as Pool);
}
async function loadCalendarTx(tx: PoolClient) {
  return loadCalendar(tx as unknown as Pool);
}

async function holderRow(tx: PoolClient, applicationId: string): Promise<ApplicationContactRow> {
  const { rows } = await tx.query<{ app: ApplicationContactRow }>(
    `SELECT to_jsonb(a) AS app FROM application a WHERE id = $1`,
    [applicationId],
  );
  return rows[0]!.app;
}

/** An officer's reasoned cancellation (§5.9, §6.5.1), or the holder's refusal (§5.9). */
export async function cancelSelection(
  pool: Pool,
  selectionId: string,
  c: { ground: CancellationGroundCode; reason: string; actor: string },
  now = new Date(),
) {
  if (CANCELLATION_GROUNDS[c.ground].byDeadline)
    throw new CaseError('invalid', `ground ${c.ground} follows from a deadline, not a decision`, [
      { field: 'ground', message: 'is applied when its deadline passes' },
    ]);
  return inTransaction(pool, async (tx) => {
    const s = await loadSelection(tx, selectionId);
    requireApplicant(s);
    if (!s.process_instance_key)
      throw conflict(
        'the selection is still being opened; try again in a moment',
        'selectionId',
        'opening',
      );
    const r = await cancelSelectionTx(tx, selectionId, { ...c, at: now, cancelInstance: true });
    if (!r) throw conflict('the selection is no longer live', 'selectionId', 'not live');
    return {
      selectionId,
      state: 'cancelled' as const,
      ground: CANCELLATION_GROUNDS[c.ground].citation,
      ...r,
    };
  });
}

/** The holder withdraws: the applicant refuses to buy (§5.9); a waiting holder leaves the line. */
export async function withdrawSelection(
  pool: Pool,
  selectionId: string,
  applicationId: string,
  actor: string,
  now = new Date(),
) {
  const s = await loadSelection(pool, selectionId);
  if (s.application_id !== applicationId)
    throw new CaseError('not-found', `no selection ${selectionId} of this holder`, [
      { field: 'selectionId', message: 'no such selection' },
    ]);
  if (s.state !== 'active')
    throw conflict(`the selection is ${s.state}`, 'selectionId', `is ${s.state}`);
  if (s.position === 0)
    return cancelSelection(
      pool,
      selectionId,
      {
        ground: 'holder-refused',
        reason: 'Ərizəçi mənzil almaqdan imtina etdi (holder withdrew).',
        actor,
      },
      now,
    );
  return inTransaction(pool, async (tx) => {
    await lockApartment(tx, s.apartment_id);
    const res = await tx.query(
      `UPDATE apartment_selection SET state = 'withdrawn', ended_at = $2 WHERE id = $1 AND state = 'active' AND position > 0`,
      [selectionId, now],
    );
    if (res.rowCount !== 1)
      throw conflict('the selection changed; reload it', 'selectionId', 'changed');
    await recordAudit(tx, {
      caseType: 'apartment-selection',
      caseId: selectionId,
      actor,
      action: 'waiting-withdrawn',
      legalGround: '003 §5.7-1',
    });
    return { selectionId, state: 'withdrawn' as const };
  });
}

/** §5.5-2: the holder puts the bank's preliminary approval into the cabinet. */
export async function uploadPreApproval(
  pool: Pool,
  applicationId: string,
  p: { bankName: string; decisionNumber: string; issuedOn: CivilDate; amountQepik?: number },
  actor: string,
  now = new Date(),
) {
  if (p.issuedOn > civilDateInBaku(now))
    throw new CaseError('invalid', 'the approval cannot be issued in the future', [
      { field: 'issuedOn', message: 'is in the future' },
    ]);
  return inTransaction(pool, async (tx) => {
    await holderOf(tx, applicationId);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO bank_pre_approval (application_id, bank_name, decision_number, issued_on, amount_qepik) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [applicationId, p.bankName, p.decisionNumber, p.issuedOn, p.amountQepik ?? null],
    );
    await recordAudit(tx, {
      caseType: 'application',
      caseId: applicationId,
      actor,
      action: 'pre-approval-uploaded',
      legalGround: '003 §5.5-2',
      after: { issuedOn: p.issuedOn },
    });
    // §5.5-3: the new approval of a promoted mortgage applicant who was asked for one
    const [periods, calendar] = [await loadLegalPeriodsTx(tx), await loadCalendarTx(tx)];
    if (checkPreApproval(p.issuedOn, civilDateInBaku(now), periods, calendar).ok) {
      const renewed = await tx.query<{ id: string }>(
        `UPDATE apartment_selection SET pre_approval_id = $2, pre_approval_renewal_since = NULL
          WHERE application_id = $1 AND state = 'active' AND position = 0 AND payment_method = 'mortgage'
            AND pre_approval_renewal_since IS NOT NULL RETURNING id`,
        [applicationId, rows[0]!.id],
      );
      for (const r of renewed.rows)
        await recordAudit(tx, {
          caseType: 'apartment-selection',
          caseId: r.id,
          actor,
          action: 'pre-approval-renewed',
          legalGround: '003 §5.5-3',
          after: { issuedOn: p.issuedOn },
        });
    }
    return { id: rows[0]!.id, issuedOn: p.issuedOn };
  });
}

async function messageForApplicant(
  pool: Pool,
  selectionId: string,
  applicationId: string | undefined,
  name: string,
  messageId: string,
  variables: Record<string, unknown>,
  audit: { actor: string; action: string; legalGround: string; after?: unknown },
  update?: (tx: PoolClient, s: SelectionRow) => Promise<void>,
) {
  return inTransaction(pool, async (tx) => {
    const s = await loadSelection(tx, selectionId, true);
    if (applicationId && s.application_id !== applicationId)
      throw new CaseError('not-found', `no selection ${selectionId} of this holder`, [
        { field: 'selectionId', message: 'no such selection' },
      ]);
    requireApplicant(s);
    await update?.(tx, s);
    await recordAudit(tx, { caseType: 'apartment-selection', caseId: selectionId, ...audit });
    await enqueueMessage(tx, {
      name,
      correlationKey: selectionId,
      messageId,
      variables: { selectionId, ...variables },
    });
    return s;
  });
}

/** §6.3, §6.5.2–§6.5.3: the holder states through the system that they buy with own funds. */
export async function switchToOwnFunds(
  pool: Pool,
  selectionId: string,
  applicationId: string,
  actor: string,
) {
  await messageForApplicant(
    pool,
    selectionId,
    applicationId,
    SELECTION_MESSAGES.switched,
    `${SELECTION_MESSAGES.switched}:${selectionId}`,
    { paymentMethod: 'own-funds' },
    { actor, action: 'switched-to-own-funds', legalGround: '003 §6.5.2, §6.5.3' },
    async (tx, s) => {
      if (s.payment_method !== 'mortgage')
        throw conflict('the selection is already own funds', 'selectionId', 'already own funds');
      await tx.query(
        `UPDATE apartment_selection SET payment_method = 'own-funds', due_code = NULL, due_on = NULL,
                pre_approval_renewal_since = NULL WHERE id = $1`,
        [selectionId],
      );
    },
  );
  return { selectionId, paymentMethod: 'own-funds' as const };
}

/** §6.2: the holder cannot come on the date named: they tell MİDA through the system. */
export async function requestNotaryDate(
  pool: Pool,
  selectionId: string,
  applicationId: string,
  actor: string,
  now = new Date(),
) {
  return inTransaction(pool, async (tx) => {
    const s = await loadSelection(tx, selectionId, true);
    if (s.application_id !== applicationId)
      throw new CaseError('not-found', `no selection ${selectionId} of this holder`, [
        { field: 'selectionId', message: 'no such selection' },
      ]);
    requireApplicant(s);
    if (s.payment_method !== 'own-funds' || !s.notary)
      throw conflict(
        'no notary date has been given yet (003 §6.2)',
        'selectionId',
        'no notary date',
      );
    await tx.query(`UPDATE apartment_selection SET notary_date_requested_at = $2 WHERE id = $1`, [
      selectionId,
      now,
    ]);
    await recordAudit(tx, {
      caseType: 'apartment-selection',
      caseId: selectionId,
      actor,
      action: 'notary-date-requested',
      legalGround: '003 §6.2',
    });
    return { selectionId, requestedAt: now.toISOString() };
  });
}

/**
 * MİDA names the notary and the date (§6.2). The first appointment reaches the process, which
 * posts the §6.1 notice; a later one (after the holder asked for a new date) is a new notice,
 * sent here; the 15 working days still count from the §6.1 notice.
 */
export async function appointNotary(
  pool: Pool,
  selectionId: string,
  notary: { name: string; address: string; date: CivilDate },
  actor: string,
  now = new Date(),
) {
  return inTransaction(pool, async (tx) => {
    const s = await loadSelection(tx, selectionId, true);
    requireApplicant(s);
    if (s.payment_method !== 'own-funds')
      throw conflict(
        'the holder buys with a mortgage: the bank’s approval comes first (003 §6.4)',
        'selectionId',
        'mortgage',
      );
    if (notary.date < civilDateInBaku(now))
      throw new CaseError('invalid', 'the notary date is in the past', [
        { field: 'date', message: 'is in the past' },
      ]);
    const contractRunning = s.due_code === SELECTION_PERIODS.ownFundsContract;
    if (contractRunning && s.due_on && notary.date > s.due_on)
      throw new CaseError('invalid', `the date must be before the §6.2 deadline ${s.due_on}`, [
        { field: 'date', message: `must be on or before ${s.due_on} (003 §6.2)` },
      ]);
    await tx.query(
      `UPDATE apartment_selection SET notary = $2, notary_date_requested_at = NULL WHERE id = $1`,
      [selectionId, JSON.stringify(notary)],
    );
    await recordAudit(tx, {
      caseType: 'apartment-selection',
      caseId: selectionId,
      actor,
      action: 'notary-appointed',
      legalGround: '003 §6.2',
      after: notary,
    });
    // The §6.1 own-funds notice is not out yet (also after a switch from the mortgage): the
    // process waits for this appointment to post it.
    if (!contractRunning) {
      await enqueueMessage(tx, {
        name: SELECTION_MESSAGES.notaryAppointed,
        correlationKey: selectionId,
        messageId: `${SELECTION_MESSAGES.notaryAppointed}:${selectionId}:${now.getTime()}`,
        variables: { selectionId },
      });
      return { selectionId, notice: 'first' as const };
    }
    const apt = await lockApartmentRead(tx, s.apartment_id);
    await cabinetNotice(
      tx,
      await holderRow(tx, s.application_id),
      selectionId,
      `notary-date:${selectionId}:${now.getTime()}`,
      'apartment-notary-new-date',
      {
        apartment: apartmentLabel(apt),
        notaryName: notary.name,
        notaryAddress: notary.address,
        notaryDate: notary.date,
        contractDueDate: s.due_on,
      },
      { allChannels: true },
    );
    return { selectionId, notice: 'new-date' as const };
  });
}

async function lockApartmentRead(tx: PoolClient, id: string) {
  const { rows } = await tx.query<{ building: string; number: string; address: string }>(
    `SELECT building, number, address FROM apartment WHERE id = $1`,
    [id],
  );
  return rows[0]!;
}

/** The mortgage e-system (§6.3–§6.4): the holder applied to the agent bank; later its decision. */
export async function recordBankEvent(
  pool: Pool,
  selectionId: string,
  e:
    | { kind: 'application-filed'; filedOn: CivilDate }
    | { kind: 'decided'; approved: boolean; reason?: 'category-lost' | 'bank' },
  actor: string,
) {
  if (e.kind === 'application-filed')
    return messageForApplicant(
      pool,
      selectionId,
      undefined,
      SELECTION_MESSAGES.bankApplied,
      `${SELECTION_MESSAGES.bankApplied}:${selectionId}`,
      {},
      {
        actor,
        action: 'bank-application-filed',
        legalGround: '003 §6.3',
        after: { filedOn: e.filedOn },
      },
      async (tx, s) => {
        if (s.payment_method !== 'mortgage')
          throw conflict('the selection is not a mortgage', 'selectionId', 'not mortgage');
        // §5.5-3, §5.6: a promoted holder whose approval was over a year old applies only with a new one
        if (s.pre_approval_renewal_since)
          throw conflict(
            'the holder’s preliminary approval is more than a year old: a new one must be placed in the cabinet first (003 §5.5-3, §5.6)',
            'selectionId',
            'pre-approval-renewal-needed',
          );
        await tx.query(
          `UPDATE apartment_selection SET bank_applied_on = $2, due_code = NULL, due_on = NULL WHERE id = $1`,
          [selectionId, e.filedOn],
        );
      },
    );
  return messageForApplicant(
    pool,
    selectionId,
    undefined,
    SELECTION_MESSAGES.bankDecided,
    `${SELECTION_MESSAGES.bankDecided}:${selectionId}`,
    { bankApproved: e.approved, bankRefusalReason: e.approved ? null : (e.reason ?? 'bank') },
    {
      actor,
      action: e.approved ? 'bank-approved' : 'bank-refused',
      legalGround: e.approved ? '003 §6.4' : '003 §6.5.3',
      after: e,
    },
    async (tx, s) => {
      if (s.payment_method !== 'mortgage')
        throw conflict('the selection is not a mortgage', 'selectionId', 'not mortgage');
      await tx.query(`UPDATE apartment_selection SET bank_decision = $2 WHERE id = $1`, [
        selectionId,
        e.approved ? 'approved' : 'refused',
      ]);
    },
  );
}

/**
 * §7: the contract recorded with its notary certification and the prior registration in the
 * real-estate registry (§7.2); a sale-and-mortgage contract (§7.3) names the bank and the loan,
 * at most 90 % of the price (§3.4). The process ends the case.
 */
export async function recordContract(
  pool: Pool,
  selectionId: string,
  c: {
    kind: 'sale' | 'sale-and-mortgage';
    signedOn: CivilDate;
    notaryName: string;
    notaryCertificationNumber: string;
    registryPriorRegistration: string;
    agentBank?: string;
    loanQepik?: number;
  },
  actor: string,
) {
  return inTransaction(pool, async (tx) => {
    const s = await loadSelection(tx, selectionId, true);
    requireApplicant(s);
    const { rows } = await tx.query<{ price_qepik: string }>(
      `SELECT price_qepik FROM apartment WHERE id = $1`,
      [s.apartment_id],
    );
    const price = Number(rows[0]!.price_qepik);
    if (c.kind === 'sale-and-mortgage') {
      if (s.payment_method !== 'mortgage')
        throw conflict(
          'the holder buys with own funds: a sale contract, not a sale-and-mortgage one',
          'kind',
          'own funds',
        );
      if (!c.agentBank)
        throw new CaseError('invalid', 'the agent bank is required (003 §7.3)', [
          { field: 'agentBank', message: 'is required (003 §7.3)' },
        ]);
      if (!c.loanQepik || !loanWithinLimit(c.loanQepik, price))
        throw new CaseError(
          'invalid',
          `the loan may be at most ${LOAN_LIMIT.percentOfPrice} % of the price (${LOAN_LIMIT.citation})`,
          [
            {
              field: 'loanQepik',
              message: `must be at most ${maxLoanQepik(price)} qəpik (${LOAN_LIMIT.citation})`,
            },
          ],
        );
    } else if (s.payment_method !== 'own-funds') {
      throw conflict(
        'the holder buys with a mortgage: record a sale-and-mortgage contract (003 §7.3)',
        'kind',
        'mortgage',
      );
    }
    const ins = await tx.query<{ id: string }>(
      `INSERT INTO apartment_contract (selection_id, kind, signed_on, notary_name, notary_certification_number, registry_prior_registration, agent_bank, loan_qepik, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (selection_id) DO NOTHING RETURNING id`,
      [
        selectionId,
        c.kind,
        c.signedOn,
        c.notaryName,
        c.notaryCertificationNumber,
        c.registryPriorRegistration,
        c.agentBank ?? null,
        c.loanQepik ?? null,
        actor,
      ],
    );
    if (!ins.rows[0])
      throw conflict('the contract is already recorded', 'selectionId', 'already recorded');
    await recordAudit(tx, {
      caseType: 'apartment-selection',
      caseId: selectionId,
      actor,
      action: 'contract-recorded',
      legalGround: c.kind === 'sale' ? '003 §7.2' : '003 §7.2, §7.3, §3.4',
      after: { kind: c.kind, signedOn: c.signedOn },
    });
    await enqueueMessage(tx, {
      name: SELECTION_MESSAGES.contractSigned,
      correlationKey: selectionId,
      messageId: `${SELECTION_MESSAGES.contractSigned}:${selectionId}`,
      variables: { selectionId, contractSignedOn: c.signedOn },
    });
    return { contractId: ins.rows[0].id, selectionId };
  });
}

/**
 * §2.3–§2.4: an exchange of an acquired apartment with the Agency's consent, on the owner's
 * reasoned request. Recorded as such: it is not a second use of the right (§2.2 does not apply).
 */
export async function recordExchange(
  pool: Pool,
  e: {
    applicationId: string;
    fromApartmentId: string;
    toApartmentId: string;
    requestReason: string;
    consentNumber: string;
    consentOn: CivilDate;
  },
  actor: string,
) {
  return inTransaction(pool, async (tx) => {
    const from = await tx.query(
      `SELECT 1 FROM apartment_selection s JOIN apartment_contract c ON c.selection_id = s.id
        WHERE s.application_id = $1 AND s.apartment_id = $2 AND s.state = 'contracted'`,
      [e.applicationId, e.fromApartmentId],
    );
    if (!from.rowCount)
      throw conflict(
        'only an apartment the holder acquired can be exchanged (003 §2.3)',
        'fromApartmentId',
        'not acquired by this holder',
      );
    const to = await tx.query<{ state: string }>(
      `SELECT state FROM apartment WHERE id = $1 FOR UPDATE`,
      [e.toApartmentId],
    );
    if (!to.rows[0])
      throw new CaseError('not-found', 'no such apartment', [
        { field: 'toApartmentId', message: 'no such apartment' },
      ]);
    if (to.rows[0].state !== 'free' && to.rows[0].state !== 'released')
      throw conflict(
        `the apartment is ${to.rows[0].state}`,
        'toApartmentId',
        `is ${to.rows[0].state}`,
      );
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO apartment_exchange (application_id, from_apartment_id, to_apartment_id, request_reason, consent_number, consent_on, recorded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [
        e.applicationId,
        e.fromApartmentId,
        e.toApartmentId,
        e.requestReason,
        e.consentNumber,
        e.consentOn,
        actor,
      ],
    );
    await tx.query(`UPDATE apartment SET state = 'sold', updated_at = now() WHERE id = $1`, [
      e.toApartmentId,
    ]);
    await tx.query(`UPDATE apartment SET state = 'released', updated_at = now() WHERE id = $1`, [
      e.fromApartmentId,
    ]);
    await recordAudit(tx, {
      caseType: 'application',
      caseId: e.applicationId,
      actor,
      action: 'apartment-exchanged',
      legalGround: '003 §2.3, §2.4',
      reason: e.requestReason,
      after: { exchangeId: rows[0]!.id, onceOnlyExempt: true },
    });
    return { exchangeId: rows[0]!.id, onceOnlyExempt: true as const };
  });
}

/** An apartment's and a selection's states (the tables' checks). */
export const APARTMENT_STATES = ['free', 'selected', 'sold', 'released'] as const;
export const SELECTION_STATES = [
  'active',
  'cancelled',
  'withdrawn',
  'contracted',
  'lapsed',
] as const;

export interface CabinetSelection {
  selectionId: string;
  announcementId: string;
  apartment: {
    id: string;
    label: string;
    rooms: number;
    floor: number;
    priceQepik: number;
    state: (typeof APARTMENT_STATES)[number];
  };
  role: 'applicant' | 'waiting';
  waitingPosition?: 1 | 2;
  state: (typeof SELECTION_STATES)[number];
  paymentMethod: SelectionPaymentMethod;
  notary: { name: string; address: string; date: CivilDate } | null;
  deadline?: { code: string; dueOn: CivilDate; workingDaysLeft: number };
  noticeDueOn: CivilDate | null;
  cancellation?: { ground: string; citation: string; reason: string };
  /** §5.5-3: promoted with the mortgage and an approval over a year old: a new one is needed */
  preApprovalRenewalNeeded?: true;
}

/** The holder's cabinet: selections, waiting position, deadlines in working days, and notices. */
export async function cabinetView(pool: Pool, applicationId: string, now = new Date()) {
  const calendar = await loadCalendar(pool);
  const today = civilDateInBaku(now);
  const { rows } = await pool.query(
    `SELECT s.*, to_char(s.due_on, 'YYYY-MM-DD') AS due, to_char(s.notice_due_on, 'YYYY-MM-DD') AS notice_due,
            p.building, p.number, p.address, p.rooms, p.floor, p.price_qepik, p.state AS apartment_state
       FROM apartment_selection s JOIN apartment p ON p.id = s.apartment_id
      WHERE s.application_id = $1 ORDER BY s.selected_at`,
    [applicationId],
  );
  const selections: CabinetSelection[] = [];
  for (const r of rows) {
    const slots =
      r.state === 'active' && r.position > 0
        ? await slotsOf(pool as unknown as PoolClient, r.apartment_id)
        : undefined;
    selections.push({
      selectionId: r.id,
      announcementId: r.announcement_id,
      apartment: {
        id: r.apartment_id,
        label: apartmentLabel(r),
        rooms: r.rooms,
        floor: r.floor,
        priceQepik: Number(r.price_qepik),
        state: r.apartment_state,
      },
      role: r.position === 0 ? 'applicant' : 'waiting',
      ...(slots ? { waitingPosition: waitingPosition(slots, applicationId) } : {}),
      state: r.state,
      paymentMethod: r.payment_method,
      notary: r.notary,
      noticeDueOn: r.notice_due,
      ...(r.due && r.state === 'active'
        ? {
            deadline: {
              code: r.due_code,
              dueOn: r.due,
              workingDaysLeft: calendar.workingDaysBetween(today, r.due),
            },
          }
        : {}),
      ...(r.pre_approval_renewal_since && r.state === 'active'
        ? { preApprovalRenewalNeeded: true as const }
        : {}),
      ...(r.cancel_ground
        ? {
            cancellation: {
              ground: r.cancel_ground,
              citation: r.cancel_citation,
              reason: r.cancel_reason,
            },
          }
        : {}),
    });
  }
  const notices = await pool.query(
    `SELECT n.template, n.subject, n.text, n.created_at FROM cabinet_notice n
      WHERE n.case_type = 'apartment-selection' AND n.case_id IN (SELECT id FROM apartment_selection WHERE application_id = $1)
      ORDER BY n.created_at, n.id`,
    [applicationId],
  );
  return { applicationId, selections, notices: notices.rows };
}
