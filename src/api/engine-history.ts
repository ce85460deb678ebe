import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type Request } from 'express';
import type { Pool } from '../db/pool.js';
import { applyHistoryBatch, losslessReviver, parseHistoryBatch } from '../engine/history-intake.js';
import { HttpProblem } from './problem.js';

/** Where the broker's history exporter posts its batches. Internal: not in the OpenAPI document. */
export const ENGINE_HISTORY_PATH = '/internal/engine-history';

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Bearer token against the one the stack gave the broker, in constant time. */
function authenticate(req: Request, expected: string | undefined): void {
  if (!expected)
    throw new HttpProblem(
      503,
      'Not configured',
      'engine history intake is not configured (ENGINE_HISTORY_TOKEN is not set)',
    );
  const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '');
  if (!m || !timingSafeEqual(sha256(m[1]!), sha256(expected)))
    throw new HttpProblem(401, 'Unauthenticated', 'a valid bearer token is required', [
      { field: 'authorization', message: m ? 'invalid token' : 'required' },
    ]);
}

/**
 * The intake of the engine's history exporter: one batch of records per request, applied in
 * one transaction. It has its own body parser, mounted before the app's: a batch with deployed
 * models is larger than the 1 MB other requests may be, and keys must stay exact.
 */
export function engineHistoryRouter(deps: { pool: Pool; token?: string }): Router {
  const r = Router();
  r.post(
    ENGINE_HISTORY_PATH,
    (req, _res, next) => {
      try {
        authenticate(req, deps.token); // before reading a large body
        next();
      } catch (err) {
        next(err);
      }
    },
    express.json({ limit: '64mb', reviver: losslessReviver as never }),
    async (req, res) => {
      let batch;
      try {
        batch = parseHistoryBatch(req.body);
      } catch (err) {
        const message = (err as Error).message;
        throw new HttpProblem(400, 'Invalid input', message, [
          { field: message.split(':')[0]!, message },
        ]);
      }
      const result = await applyHistoryBatch(deps.pool, batch);
      res.json(result);
    },
  );
  return r;
}
