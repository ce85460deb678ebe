import type { PoolClient } from '../db/pool.js';
import { enqueueMessage } from '../engine/messages.js';
import { recordAudit } from './audit.js';

/** Messages that start or move the waitlist processes (message events in workflows/). */
export const WAITLIST_MESSAGES = {
  registrationFiled: 'waitlist-registration-filed',
  groundEstablished: 'waitlist-ground-established',
  transferGranted: 'registration-transfer-granted',
} as const;

/**
 * Removal grounds by the code of their legal_ground row: only the cases of Housing Code 55.1
 * (55.2: the decision must refer to them). 004 §19(d) (sentence) and §19(v) (left the employer)
 * are no case of 55.1; their rows are kept, not in force, so earlier decisions still read.
 */
export const SEIZURE_GROUNDS = [
  'remove-own-request',
  'remove-need-ceased',
  'remove-moved-away',
  'remove-preferential-mortgage',
  'remove-land-plot',
  'remove-untrue-data',
  'remove-death',
] as const;
export type SeizureGround = (typeof SEIZURE_GROUNDS)[number];

export interface SeizureInput {
  entryId: string;
  ground: SeizureGround;
  source: 'registry' | 'person' | 'reviewer' | 'reverification';
  /** the day the ground was established: the 30 working days of 55.2 count from it */
  establishedOn: string;
  /** registry event id, or another unique id of what established the ground */
  eventId: string;
  facts?: Record<string, unknown>;
}

/**
 * Opens a seizure case for a slot and starts its process, in the caller's transaction. A slot
 * with an open seizure case gets no second one: the new ground joins the open case's file
 * (returned with created = false).
 */
export async function openSeizureCase(
  tx: PoolClient,
  s: SeizureInput,
  actor: string,
): Promise<{ caseId: string; created: boolean }> {
  const open = await tx.query<{ id: string }>(
    `SELECT id FROM waitlist_case WHERE entry_id = $1 AND kind = 'seizure' AND final_at IS NULL`,
    [s.entryId],
  );
  if (open.rows[0]) {
    const caseId = open.rows[0].id;
    await tx.query(
      `UPDATE waitlist_case SET details = jsonb_set(details, '{furtherGrounds}', coalesce(details->'furtherGrounds', '[]'::jsonb) || $2::jsonb) WHERE id = $1`,
      [
        caseId,
        JSON.stringify([
          {
            ground: s.ground,
            source: s.source,
            establishedOn: s.establishedOn,
            eventId: s.eventId,
          },
        ]),
      ],
    );
    await recordAudit(tx, {
      caseType: 'waitlist-case',
      caseId,
      actor,
      action: 'further-ground-added',
      legalGround: s.ground,
      after: { ground: s.ground, source: s.source },
    });
    return { caseId, created: false };
  }
  const entry = await tx.query<{ body_code: string; registered_fin: string | null }>(
    `SELECT l.body_code, e.registered_fin FROM waitlist_entry e JOIN waitlist l ON l.id = e.waitlist_id WHERE e.id = $1`,
    [s.entryId],
  );
  const e = entry.rows[0];
  if (!e) throw new Error(`waitlist entry ${s.entryId} not found`);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO waitlist_case (kind, body_code, entry_id, applicant_fin, ground, source, established_on, event_id, details)
     VALUES ('seizure', $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      e.body_code,
      s.entryId,
      e.registered_fin,
      s.ground,
      s.source,
      s.establishedOn,
      s.eventId,
      JSON.stringify({ facts: s.facts ?? {} }),
    ],
  );
  const caseId = rows[0]!.id;
  await recordAudit(tx, {
    caseType: 'waitlist-case',
    caseId,
    actor,
    action: 'seizure-case-opened',
    legalGround: s.ground,
    after: {
      entryId: s.entryId,
      ground: s.ground,
      source: s.source,
      establishedOn: s.establishedOn,
    },
  });
  await enqueueMessage(tx, {
    name: WAITLIST_MESSAGES.groundEstablished,
    // a start message: the correlation key is the started instance's business key (the case id;
    // an entry may have several seizure cases over time)
    correlationKey: caseId,
    messageId: `${WAITLIST_MESSAGES.groundEstablished}:${caseId}`,
    variables: {
      caseId,
      caseType: 'waitlist-case',
      entryId: s.entryId,
      ground: s.ground,
      source: s.source,
      establishedOn: s.establishedOn,
      reviewBody: e.body_code,
    },
  });
  return { caseId, created: true };
}

/**
 * Records what happened on a case (audit) and tells the case's waiting process (engine message
 * correlated by case id), in the caller's transaction: an appeal, a court outcome, a fixed
 * deficiency. The message id makes a repeat a no-op in the engine.
 */
export async function signalCase(
  tx: PoolClient,
  s: {
    caseId: string;
    actor: string;
    action: string;
    legalGround?: string;
    after?: Record<string, unknown>;
    message: string;
    variables: Record<string, unknown>;
  },
): Promise<void> {
  await recordAudit(tx, {
    caseType: 'waitlist-case',
    caseId: s.caseId,
    actor: s.actor,
    action: s.action,
    legalGround: s.legalGround,
    after: s.after,
  });
  await enqueueMessage(tx, {
    name: s.message,
    correlationKey: s.caseId,
    messageId: `${s.message}:${s.caseId}`,
    variables: s.variables,
  });
}
