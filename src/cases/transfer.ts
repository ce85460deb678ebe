import type { Pool, PoolClient } from '../db/pool.js';
import type {
  DocumentLine,
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
  /** the seizure process waits on it, correlated by entryId, to end a martyr-family hold */
  granted: 'registration-transfer-granted',
} as const;

/** System decisions (no reviewer): a late application, a deficiency not fixed in time. */
export const TRANSFER_GROUNDS = {
  transfer: 'transfer-registration',
  documentsMissing: 'refuse-transfer-documents-missing',
  housingSufficient: 'refuse-transfer-housing-sufficient',
  unworthyHeir: 'refuse-transfer-unworthy-heir',
  late: 'refuse-transfer-late',
} as const;

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
