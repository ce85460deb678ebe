import type { Pool, PoolClient } from '../db/pool.js';
import type {
  DocumentLine,
  OutsideFamily,
  FamilyMember,
  Representative,
  TransferEvent,
  TransferVariantCode,
  VariantRule,
} from '../domain/transfer.js';

/** Messages of the registration-transfer process (workflows/registration-transfer.bpmn). */
export const TRANSFER_MESSAGES = {
  filed: 'registration-transfer-filed',
  deficiencyFixed: 'transfer-deficiency-fixed',
  /** 002 §2.5: the deficiency notice was received; the 7 working days run from that day */
  noticeReceived: 'transfer-deficiency-notice-received',
  /** the seizure process waits on it, correlated by entryId, to end a martyr-family hold */
  granted: 'registration-transfer-granted',
  /** the same for a refusal: a held slot's hold goes on in the window, else a reviewer decides */
  refused: 'registration-transfer-refused',
} as const;

/**
 * The grounds of the transfer decisions (table legal_ground). All are the reviewer's except a
 * deficiency not fixed within 7 working days of receiving the notice (002 §2.5, §3.1.1).
 */
export const TRANSFER_GROUNDS = {
  transfer: 'transfer-registration',
  documentsMissing: 'refuse-transfer-documents-missing',
  housingSufficient: 'refuse-transfer-housing-sufficient',
  unworthyHeir: 'refuse-transfer-unworthy-heir',
  /** 002 §3.1.1 with §2.1–2.2: the application and its documents were not filed in the window */
  late: 'refuse-transfer-late',
  /** 002 §1.2.2, §2.1: a person who was not registered as the deceased's family member */
  notFamilyMember: 'refuse-transfer-not-family-member',
} as const;

/** How a deficiency notice was received, as the channel's receipt shows it (002 §2.5). */
export const NOTICE_RECEIPT_CHANNELS = ['cabinet', 'email', 'in-person', 'post', 'centre'] as const;

/** How the copy of the decision reaches the representative (002 §2.6, §3.3). */
export const DECISION_COPY_CHANNELS = ['in-person', 'post', 'centre'] as const;
export type DecisionCopyChannel = (typeof DECISION_COPY_CHANNELS)[number];

/** The case file of a transfer (waitlist_case.details). */
export interface TransferDetails {
  variant: TransferVariantCode;
  via: 'body' | 'centre';
  event: TransferEvent;
  /** the date the application states (the death certificate); the registry's record wins */
  eventDate: string;
  laterMartyrStatus: boolean;
  deceasedFin: string | null;
  representative: Representative;
  family: (FamilyMember & { fin?: string | null })[];
  dwellings?: { address: string; areaM2: number; share: number }[];
  decisionCopyChannel: DecisionCopyChannel;
  contact: { email?: string; phone?: string; lang?: 'az' | 'en' };
}

export async function loadVariantRule(
  db: Pool | PoolClient,
  code: string,
): Promise<VariantRule | null> {
  const { rows } = await db.query<{
    code: TransferVariantCode;
    legal_source: string;
    window_period: string | null;
    events: TransferEvent[];
    consent_required: boolean;
    documents: VariantRule['documents'];
  }>(
    `SELECT code, legal_source, window_period, events, consent_required, documents FROM transfer_variant WHERE code = $1`,
    [code],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    code: r.code,
    legalSource: r.legal_source,
    windowPeriod: r.window_period,
    events: r.events,
    consentRequired: r.consent_required,
    documents: r.documents,
  };
}

export async function requireVariantRule(
  db: Pool | PoolClient,
  code: string,
): Promise<VariantRule> {
  const rule = await loadVariantRule(db, code);
  if (!rule) throw new Error(`transfer variant ${code} is not configured (table transfer_variant)`);
  return rule;
}

export function documentLines(documents: unknown[]): DocumentLine[] {
  return documents as DocumentLine[];
}

/**
 * 002 §1.2.2: the persons of a transfer application who are not on the waitlist file's family
 * (open-registration-transfer recorded them). A grant is possible only when there are none.
 */
export async function outsideFamilyOf(
  db: Pool | PoolClient,
  caseId: string,
): Promise<OutsideFamily[]> {
  const { rows } = await db.query<{ outside: OutsideFamily[] | null }>(
    `SELECT details->'checks'->'family'->'outside' AS outside FROM waitlist_case WHERE id = $1 AND kind = 'transfer'`,
    [caseId],
  );
  return rows[0]?.outside ?? [];
}

/**
 * 004 §10: only one member of a family is registered. The places the transfer's representative
 * already holds on the list of the slot in question (active or held, another entry): a grant would
 * give them a second place, so the transfer is refused with reasons instead.
 */
export async function representativePlacesOnList(
  db: Pool | PoolClient,
  caseId: string,
): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT other.id FROM waitlist_case c
       JOIN waitlist_entry slot ON slot.id = c.entry_id
       JOIN waitlist_entry other ON other.waitlist_id = slot.waitlist_id AND other.id <> slot.id
      WHERE c.id = $1 AND c.kind = 'transfer' AND other.status IN ('active', 'held')
        AND other.registered_fin = c.details->'representative'->>'fin'`,
    [caseId],
  );
  return rows.map((r) => r.id);
}
