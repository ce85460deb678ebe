import { createHash } from 'node:crypto';
import { inTransaction, type Pool, type PoolClient } from '../db/pool.js';
import { civilDateInBaku, type CivilDate } from '../domain/calendar.js';
import {
  groundForRegistryEvent,
  matchesFamilyMembers,
  type MatchRole,
  type RegistryEventKind,
  type RegistryEventSource,
  type RegistryGround,
} from '../domain/registry-event-grounds.js';
import { recordAudit } from './audit.js';
import { establishGround, type GroundOutcome } from './seizure-grounds.js';

/** A registry event as accepted at the boundary (validated and normalised). */
export interface RegistryEvent {
  eventId: string;
  source: RegistryEventSource;
  kind: RegistryEventKind;
  fin: string;
  occurredOn: CivilDate;
  details?: Record<string, unknown>;
}

export interface EventOutcome {
  entryId: string;
  role: MatchRole;
  ground: RegistryGround | null;
  outcome: GroundOutcome | 'recorded-only';
  /** why no ground was established (recorded-only) */
  reason: string | null;
  caseId: string | null;
}

export interface RegistryEventResult {
  eventId: string;
  /** waitlist entries (status active or held) the event's FIN matched */
  matchedEntries: number;
  /** seizure cases this event opened */
  casesOpened: string[];
  outcomes: EventOutcome[];
}

export type AcceptOutcome =
  | { status: 'accepted'; result: RegistryEventResult }
  | { status: 'repeated'; result: RegistryEventResult }
  | { status: 'conflict' };

/** Same content ⇔ same hash: keys sorted, an absent `details` read as {}. */
export function eventContentHash(e: RegistryEvent): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  const content = {
    source: e.source,
    kind: e.kind,
    fin: e.fin,
    occurredOn: e.occurredOn,
    details: e.details ?? {},
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical(content)))
    .digest('hex');
}

/**
 * Stores a registry event once and opens a seizure case for every waitlist slot where it
 * establishes a removal ground (src/domain/registry-event-grounds.ts), all in ONE transaction:
 * event, matches, cases, audit entries and engine messages commit together or not at all.
 * Idempotent by event id: the same content again returns the first result and writes
 * nothing; other content under a known id is a conflict.
 */
export async function acceptRegistryEvent(
  pool: Pool,
  e: RegistryEvent,
  now: Date,
): Promise<AcceptOutcome> {
  const hash = eventContentHash(e);
  const accepted = await inTransaction(pool, async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO registry_event (event_id, source, kind, fin, occurred_on, details, content_sha256, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (event_id) DO NOTHING`,
      [
        e.eventId,
        e.source,
        e.kind,
        e.fin,
        e.occurredOn,
        JSON.stringify(e.details ?? {}),
        hash,
        now,
      ],
    );
    if (inserted.rowCount !== 1) return undefined;
    const result = await applyEvent(tx, e, now);
    await tx.query(`UPDATE registry_event SET result = $2 WHERE event_id = $1`, [
      e.eventId,
      JSON.stringify(result),
    ]);
    return result;
  });
  if (accepted) return { status: 'accepted', result: accepted };

  // Known id: committed by an earlier (or a concurrent, now finished) request.
  const { rows } = await pool.query<{ content_sha256: string; result: RegistryEventResult }>(
    `SELECT content_sha256, result FROM registry_event WHERE event_id = $1`,
    [e.eventId],
  );
  const first = rows[0];
  if (!first) throw new Error(`registry event ${e.eventId} vanished`);
  return first.content_sha256 === hash
    ? { status: 'repeated', result: first.result }
    : { status: 'conflict' };
}

async function applyEvent(
  tx: PoolClient,
  e: RegistryEvent,
  now: Date,
): Promise<RegistryEventResult> {
  // The registered person's slots; for a death also the slots listing the person as family.
  const { rows: matches } = await tx.query<{ entry_id: string; role: MatchRole }>(
    `SELECT id AS entry_id, 'registered' AS role FROM waitlist_entry
      WHERE registered_fin = $1 AND status IN ('active', 'held')
     UNION
     SELECT e.id, 'family-member' FROM waitlist_family_member m JOIN waitlist_entry e ON e.id = m.entry_id
      WHERE $2::boolean AND m.fin = $1 AND e.status IN ('active', 'held')
     ORDER BY 1, 2`,
    [e.fin, matchesFamilyMembers(e.kind)],
  );
  const actor = `registry:${e.source}`;
  const establishedOn = civilDateInBaku(now);
  const outcomes: EventOutcome[] = [];

  for (const m of matches) {
    const decision = groundForRegistryEvent({ kind: e.kind }, m.role);
    let outcome: EventOutcome;
    if (decision.establishes) {
      const { outcome: o, caseId } = await establishGround(
        tx,
        {
          entryId: m.entry_id,
          ground: decision.ground,
          source: 'registry',
          establishedOn,
          eventId: e.eventId,
          facts: {
            eventId: e.eventId,
            registry: e.source,
            kind: e.kind,
            occurredOn: e.occurredOn,
            citation: decision.citation,
          },
        },
        actor,
      );
      outcome = {
        entryId: m.entry_id,
        role: m.role,
        ground: decision.ground,
        outcome: o,
        reason: null,
        caseId,
      };
    } else {
      // Recorded on the file, no case: a family member's death, or a fact that is no case of
      // 55.1 (a sentence: 55.2).
      await recordAudit(tx, {
        caseType: 'waitlist-entry',
        caseId: m.entry_id,
        actor,
        action: 'registry-fact-recorded',
        reason: decision.reason,
        after: { eventId: e.eventId, kind: e.kind, role: m.role, occurredOn: e.occurredOn },
      });
      outcome = {
        entryId: m.entry_id,
        role: m.role,
        ground: null,
        outcome: 'recorded-only',
        reason: decision.reason,
        caseId: null,
      };
    }
    await tx.query(
      `INSERT INTO registry_event_match (event_id, entry_id, role, ground, outcome, reason, case_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        e.eventId,
        m.entry_id,
        m.role,
        outcome.ground,
        outcome.outcome,
        outcome.reason,
        outcome.caseId,
      ],
    );
    outcomes.push(outcome);
  }

  return {
    eventId: e.eventId,
    matchedEntries: new Set(matches.map((m) => m.entry_id)).size,
    casesOpened: outcomes.filter((o) => o.outcome === 'case-opened').map((o) => o.caseId!),
    outcomes,
  };
}
