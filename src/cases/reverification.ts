import { z } from 'zod';
import { inTransaction, type Pool } from '../db/pool.js';
import { civilDateInBaku } from '../domain/calendar.js';
import { isValidFin, normalizeFin } from '../domain/fin.js';
import {
  reverificationGrounds,
  type HeldDwelling,
  type ReverificationFacts,
} from '../domain/reverification.js';
import { foundOrNull } from '../registry/index.js';
import type { WaitlistRegistryClient } from '../registry/client.js';
import { establishGround } from './seizure-grounds.js';

/**
 * The annual re-verification of the waitlists (004 §18: every year in the first quarter), as
 * the three workers of workflows/waitlist-reverification.bpmn use it: plan a run (batches of
 * entries), re-verify one batch against the registries, complete the run. Operators follow it
 * through GET /api/v1/waitlist/reverifications (src/api/reverification.ts).
 */

export const DEFAULT_REVERIFICATION_BATCH_SIZE = 500;

/** REVERIFICATION_BATCH_SIZE: entries per batch, 1..10000 (default 500). */
export function reverificationBatchSize(env: NodeJS.ProcessEnv = process.env): number {
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(DEFAULT_REVERIFICATION_BATCH_SIZE)
    .safeParse(env.REVERIFICATION_BATCH_SIZE || undefined);
  if (!parsed.success) {
    throw new Error('Invalid REVERIFICATION_BATCH_SIZE: must be an integer 1..10000');
  }
  return parsed.data;
}

/** The year a run started at `at` re-verifies: the calendar year in Baku. */
export function reverificationYear(at: Date): number {
  return Number(civilDateInBaku(at).slice(0, 4));
}

export const batchId = (year: number, seq: number) => `${year}-${String(seq).padStart(5, '0')}`;

/**
 * Creates the year's run and cuts the entries holding a place (active or held) into batches,
 * in one transaction. A second call for the same year (a retried job, a second start) creates
 * nothing and returns the existing batches.
 */
export async function planReverification(
  pool: Pool,
  p: { year: number; batchSize: number; processInstanceKey: string | null; now: Date },
): Promise<{ year: number; batchIds: string[]; created: boolean }> {
  return inTransaction(pool, async (tx) => {
    const run = await tx.query(
      `INSERT INTO reverification_run (year, batch_size, entries_total, batches_total, process_instance_key, started_at)
       VALUES ($1, $2, 0, 0, $3, $4) ON CONFLICT (year) DO NOTHING`,
      [p.year, p.batchSize, p.processInstanceKey, p.now],
    );
    const created = run.rowCount === 1;
    if (created) {
      await tx.query(
        `INSERT INTO reverification_batch (id, year, seq, entry_ids)
         SELECT $1::text || '-' || lpad(seq::text, 5, '0'), $1::integer, seq, array_agg(id ORDER BY id)
           FROM (SELECT id, ((row_number() OVER (ORDER BY id)) - 1) / $2 + 1 AS seq
                   FROM waitlist_entry
                  WHERE status IN ('active', 'held') AND registered_fin IS NOT NULL) AS e
          GROUP BY seq`,
        [p.year, p.batchSize],
      );
      await tx.query(
        `UPDATE reverification_run r
            SET batches_total = (SELECT count(*) FROM reverification_batch b WHERE b.year = r.year),
                entries_total = (SELECT coalesce(sum(cardinality(entry_ids)), 0) FROM reverification_batch b WHERE b.year = r.year)
          WHERE year = $1`,
        [p.year],
      );
    }
    const { rows } = await tx.query<{ id: string }>(
      `SELECT id FROM reverification_batch WHERE year = $1 ORDER BY seq`,
      [p.year],
    );
    return { year: p.year, batchIds: rows.map((r) => r.id), created };
  });
}

interface EntryToCheck {
  id: string;
  registered_fin: string | null;
  status: string;
  registration_date: string;
  norm: number | null;
  administrative_unit: string | null;
  family_fins: string[];
  family_members: number;
  dwellings: HeldDwelling[];
}

export interface BatchOutcome {
  batchId: string;
  year: number;
  entries: number;
  /** checked by this call (entries checked by an earlier attempt are skipped) */
  checkedNow: number;
  casesOpened: number;
}

/**
 * Re-verifies one batch: for every entry not yet checked this year, asks the registries about
 * the registered person (civil status, residence, mortgage fund, land; real estate for the
 * whole family), applies the pure rules (src/domain/reverification.ts) and, in ONE transaction
 * per entry, records the check and establishes each ground found (a seizure case with its audit
 * entry and engine message; event id `reverification:<year>:<entryId>:<ground>`). A registry
 * outage throws: the job is retried and resumes after the entries already committed.
 */
export async function reverifyBatch(
  pool: Pool,
  registry: WaitlistRegistryClient,
  p: { batchId: string; now: Date; concurrency?: number },
): Promise<BatchOutcome> {
  const { rows: batches } = await pool.query<{ year: number; entry_ids: string[] }>(
    `UPDATE reverification_batch SET started_at = coalesce(started_at, $2) WHERE id = $1
     RETURNING year, entry_ids`,
    [p.batchId, p.now],
  );
  const batch = batches[0];
  if (!batch) throw new Error(`reverification batch ${p.batchId} not found`);
  const { year } = batch;

  const { rows: entries } = await pool.query<EntryToCheck>(
    `SELECT e.id, e.registered_fin, e.status, e.registration_date::text AS registration_date,
            b.registration_norm_m2::float8 AS norm, t.administrative_unit,
            coalesce(ARRAY(SELECT m.fin FROM waitlist_family_member m WHERE m.entry_id = e.id AND m.fin IS NOT NULL ORDER BY m.fin), '{}') AS family_fins,
            (SELECT count(*) FROM waitlist_family_member m WHERE m.entry_id = e.id)::integer AS family_members,
            coalesce((SELECT json_agg(json_build_object('address', d.address, 'areaM2', d.area_m2::float8, 'share', d.share::float8))
                        FROM waitlist_dwelling d WHERE d.entry_id = e.id), '[]'::json) AS dwellings
       FROM waitlist_entry e
       JOIN waitlist l ON l.id = e.waitlist_id
       JOIN registering_body b ON b.code = l.body_code
       LEFT JOIN registering_body_territory t ON t.body_code = l.body_code
      WHERE e.id = ANY($1::uuid[])
        AND NOT EXISTS (SELECT 1 FROM reverification_check c WHERE c.year = $2 AND c.entry_id = e.id)
      ORDER BY e.id`,
    [batch.entry_ids, year],
  );

  let checkedNow = 0;
  let casesOpened = 0;
  const queue = [...entries];
  const worker = async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const r = await checkEntry(pool, registry, year, p.batchId, entry, p.now);
      if (r.checked) checkedNow += 1;
      casesOpened += r.casesOpened;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, p.concurrency ?? 4) }, worker));

  await pool.query(
    `UPDATE reverification_batch SET finished_at = coalesce(finished_at, $2) WHERE id = $1`,
    [p.batchId, p.now],
  );
  return { batchId: p.batchId, year, entries: batch.entry_ids.length, checkedNow, casesOpened };
}

async function gatherFacts(
  registry: WaitlistRegistryClient,
  entry: EntryToCheck,
  fin: string,
): Promise<ReverificationFacts> {
  const [civil, residence, mortgage, land, ownProperty] = await Promise.all([
    registry.civilStatus(fin),
    registry.residence(fin),
    registry.mortgageFund(fin),
    registry.landPlots(fin),
    registry.property(fin),
  ]);
  const familyFins = entry.family_fins.map(normalizeFin).filter((f) => isValidFin(f) && f !== fin);
  const familyProperty = [];
  for (const f of new Set(familyFins)) familyProperty.push(foundOrNull(await registry.property(f)));
  const registryDwellings = [foundOrNull(ownProperty), ...familyProperty].flatMap(
    (h) => h?.dwellings ?? [],
  );
  const c = foundOrNull(civil);
  const m = foundOrNull(mortgage);
  const l = foundOrNull(land);
  return {
    registrationDate: entry.registration_date,
    bodyUnit: entry.administrative_unit,
    civilStatus: c ? { death: c.death } : null,
    residence: foundOrNull(residence),
    mortgage: m ? { loans: m.loans } : null,
    land: l ? { plots: l.plots } : null,
    housing: {
      recorded: entry.dwellings,
      registry: registryDwellings,
      familySize: 1 + entry.family_members,
      normM2: entry.norm,
    },
  };
}

async function checkEntry(
  pool: Pool,
  registry: WaitlistRegistryClient,
  year: number,
  batch: string,
  entry: EntryToCheck,
  now: Date,
): Promise<{ checked: boolean; casesOpened: number }> {
  const fin = entry.registered_fin ? normalizeFin(entry.registered_fin) : null;
  const holdsPlace = entry.status === 'active' || entry.status === 'held';
  const facts = fin && holdsPlace ? await gatherFacts(registry, entry, fin) : null;
  const found = facts ? reverificationGrounds(facts) : { grounds: [], notes: [] };
  const establishedOn = civilDateInBaku(now);

  return inTransaction(pool, async (tx) => {
    // Under the entry's lock: it may have left the list since the batch was planned.
    const { rows } = await tx.query<{ status: string }>(
      `SELECT status FROM waitlist_entry WHERE id = $1 FOR UPDATE`,
      [entry.id],
    );
    const still = !!facts && (rows[0]?.status === 'active' || rows[0]?.status === 'held');
    const claimed = await tx.query(
      `INSERT INTO reverification_check (year, entry_id, batch_id, outcome, grounds, notes, findings, checked_at)
       VALUES ($1, $2, $3, 'skipped', '{}', '{}', '{}', $4) ON CONFLICT (year, entry_id) DO NOTHING`,
      [year, entry.id, batch, now],
    );
    if (claimed.rowCount !== 1) return { checked: false, casesOpened: 0 };
    if (!still) return { checked: true, casesOpened: 0 };

    // case-opened > ground-added (to the slot's open case) > already-open (same ground) > no-ground
    const rank = ['no-ground', 'already-open', 'ground-added', 'case-opened'] as const;
    let outcome: (typeof rank)[number] = 'no-ground';
    let caseId: string | null = null;
    let opened = 0;
    for (const g of found.grounds) {
      const r = await establishGround(
        tx,
        {
          entryId: entry.id,
          ground: g.ground,
          source: 'reverification',
          establishedOn,
          eventId: `reverification:${year}:${entry.id}:${g.ground}`,
          facts: { year, citation: g.citation, occurredOn: g.occurredOn, ...g.facts },
        },
        'system:reverify-batch',
      );
      caseId ??= r.caseId;
      if (r.outcome === 'case-opened') opened += 1;
      const o = r.outcome === 'ground-already-open' ? 'already-open' : r.outcome;
      if (rank.indexOf(o) > rank.indexOf(outcome)) outcome = o;
    }
    await tx.query(
      `UPDATE reverification_check SET outcome = $3, grounds = $4, notes = $5, findings = $6, case_id = $7
        WHERE year = $1 AND entry_id = $2`,
      [
        year,
        entry.id,
        outcome,
        found.grounds.map((g) => g.ground),
        found.notes,
        JSON.stringify({
          grounds: found.grounds.map((g) => ({
            ground: g.ground,
            citation: g.citation,
            occurredOn: g.occurredOn,
            facts: g.facts,
          })),
        }),
        caseId,
      ],
    );
    return { checked: true, casesOpened: opened };
  });
}

export interface ReverificationProgress {
  year: number;
  status: 'running' | 'finished';
  /** 004 §18: within the first quarter */
  dueBy: string;
  batchSize: number;
  startedAt: string;
  finishedAt: string | null;
  processInstanceKey: string | null;
  batches: { done: number; total: number };
  entries: { total: number; checked: number; skipped: number };
  casesOpened: number;
  groundsAddedToOpenCases: number;
  grounds: Record<string, number>;
}

interface RunRow {
  year: number;
  batch_size: number;
  entries_total: number;
  batches_total: number;
  process_instance_key: string | null;
  started_at: Date;
  finished_at: Date | null;
  batches_done: number;
  checked: number;
  skipped: number;
  cases_opened: number;
  grounds_added: number;
  grounds: Record<string, number> | null;
}

const RUN_SELECT = `
  SELECT r.year, r.batch_size, r.entries_total, r.batches_total, r.process_instance_key, r.started_at, r.finished_at,
         (SELECT count(*) FROM reverification_batch b WHERE b.year = r.year AND b.finished_at IS NOT NULL)::integer AS batches_done,
         (SELECT count(*) FROM reverification_check c WHERE c.year = r.year)::integer AS checked,
         (SELECT count(*) FROM reverification_check c WHERE c.year = r.year AND c.outcome = 'skipped')::integer AS skipped,
         (SELECT count(*) FROM reverification_check c WHERE c.year = r.year AND c.outcome = 'case-opened')::integer AS cases_opened,
         (SELECT count(*) FROM reverification_check c WHERE c.year = r.year AND c.outcome = 'ground-added')::integer AS grounds_added,
         (SELECT jsonb_object_agg(g, n) FROM (SELECT g, count(*)::integer AS n FROM reverification_check c, unnest(c.grounds) AS g
                                               WHERE c.year = r.year GROUP BY g) AS x) AS grounds
    FROM reverification_run r`;

function toProgress(r: RunRow): ReverificationProgress {
  return {
    year: r.year,
    status: r.finished_at ? 'finished' : 'running',
    dueBy: `${r.year}-03-31`,
    batchSize: r.batch_size,
    startedAt: r.started_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    processInstanceKey: r.process_instance_key,
    batches: { done: r.batches_done, total: r.batches_total },
    entries: { total: r.entries_total, checked: r.checked, skipped: r.skipped },
    casesOpened: r.cases_opened,
    groundsAddedToOpenCases: r.grounds_added,
    grounds: r.grounds ?? {},
  };
}

/** Every run, the newest year first. */
export async function listReverifications(pool: Pool): Promise<ReverificationProgress[]> {
  const { rows } = await pool.query<RunRow>(`${RUN_SELECT} ORDER BY r.year DESC`);
  return rows.map(toProgress);
}

export interface BatchProgress {
  id: string;
  seq: number;
  entries: number;
  checked: number;
  casesOpened: number;
  startedAt: string | null;
  finishedAt: string | null;
}

/** One year's run with its batches, or null when that year has none. */
export async function getReverification(
  pool: Pool,
  year: number,
): Promise<(ReverificationProgress & { batchList: BatchProgress[] }) | null> {
  const { rows } = await pool.query<RunRow>(`${RUN_SELECT} WHERE r.year = $1`, [year]);
  if (!rows[0]) return null;
  const { rows: batches } = await pool.query<{
    id: string;
    seq: number;
    entries: number;
    checked: number;
    cases_opened: number;
    started_at: Date | null;
    finished_at: Date | null;
  }>(
    `SELECT b.id, b.seq, cardinality(b.entry_ids) AS entries, b.started_at, b.finished_at,
            (SELECT count(*) FROM reverification_check c WHERE c.batch_id = b.id)::integer AS checked,
            (SELECT count(*) FROM reverification_check c WHERE c.batch_id = b.id AND c.outcome = 'case-opened')::integer AS cases_opened
       FROM reverification_batch b WHERE b.year = $1 ORDER BY b.seq`,
    [year],
  );
  return {
    ...toProgress(rows[0]),
    batchList: batches.map((b) => ({
      id: b.id,
      seq: b.seq,
      entries: b.entries,
      checked: b.checked,
      casesOpened: b.cases_opened,
      startedAt: b.started_at?.toISOString() ?? null,
      finishedAt: b.finished_at?.toISOString() ?? null,
    })),
  };
}

/** Marks the run finished (once) and returns its progress. */
export async function completeReverification(
  pool: Pool,
  year: number,
  now: Date,
): Promise<ReverificationProgress> {
  await pool.query(
    `UPDATE reverification_run SET finished_at = coalesce(finished_at, $2) WHERE year = $1`,
    [year, now],
  );
  const run = await getReverification(pool, year);
  if (!run) throw new Error(`no re-verification run for ${year}`);
  const { batchList: _batches, ...progress } = run;
  return progress;
}
