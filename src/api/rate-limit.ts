import type { Request, RequestHandler } from 'express';
import { HttpProblem } from './problem.js';

/** Milliseconds since the epoch; injected so tests move time instead of waiting. */
export type Clock = () => number;

/**
 * A 429 that says when to come back: the problem handler turns `retryAfterS` into the
 * `Retry-After` header (whole seconds, at least 1).
 */
export class TooManyRequests extends HttpProblem {
  constructor(
    readonly retryAfterS: number,
    detail: string,
  ) {
    super(429, 'Too many requests', detail);
  }
}

/** Maps bounded in size: expired entries go first, then the oldest (a spray of keys costs no memory). */
function prune<V>(map: Map<string, V>, max: number, expired: (v: V) => boolean): void {
  if (map.size < max) return;
  for (const [k, v] of map) if (expired(v)) map.delete(k);
  for (const k of map.keys()) {
    if (map.size < max) break;
    map.delete(k);
  }
}

/**
 * Token buckets by key: each key holds up to `capacity` tokens and regains `perMinute` of them a
 * minute. take() spends one, or answers how many seconds until one is back.
 */
export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    private readonly capacity: number,
    private readonly perMinute: number,
    private readonly clock: Clock = Date.now,
    private readonly maxKeys = 50_000,
  ) {}

  private level(key: string, now: number): { tokens: number; at: number } {
    const b = this.buckets.get(key);
    if (!b) return { tokens: this.capacity, at: now };
    const refill = ((now - b.at) / 60_000) * this.perMinute;
    return { tokens: Math.min(this.capacity, b.tokens + refill), at: now };
  }

  /** Spends a token: `{ ok: true }`, or the wait in whole seconds until a token is back. */
  take(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const now = this.clock();
    const b = this.level(key, now);
    if (b.tokens < 1) {
      const waitMs = ((1 - b.tokens) / this.perMinute) * 60_000;
      return { ok: false, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    prune(this.buckets, this.maxKeys, (v) => v.at < now - this.fullAfterMs());
    this.buckets.delete(key); // re-insert: the map stays ordered by last use
    this.buckets.set(key, { tokens: b.tokens - 1, at: now });
    return { ok: true };
  }

  /** Tokens the key holds now (fractional). */
  tokens(key: string): number {
    return this.level(key, this.clock()).tokens;
  }

  /** Would take() succeed? (does not spend) */
  peek(key: string): { ok: true } | { ok: false; retryAfterS: number } {
    const now = this.clock();
    const b = this.level(key, now);
    if (b.tokens >= 1) return { ok: true };
    const waitMs = ((1 - b.tokens) / this.perMinute) * 60_000;
    return { ok: false, retryAfterS: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** After this long untouched a bucket is full again and need not be kept. */
  private fullAfterMs(): number {
    return (this.capacity / this.perMinute) * 60_000;
  }
}

export interface SignInLimits {
  /** Failed sign-ins one client (address) may make in a burst, whatever the names… */
  clientBurst: number;
  /** …and regains per minute. */
  clientPerMinute: number;
  /** Failures of one client on one name before backoff starts; then 1 s, 2 s, 4 s … */
  freeFailures: number;
  /** The longest backoff of one client on one name. */
  maxBackoffS: number;
  /** Failures on one name from all clients (decaying by one per `nameDecayS`) before it is slowed. */
  nameSlowAfter: number;
  nameDecayS: number;
  /** Added delay per failure above the threshold, and its cap: slows guessing, never refuses. */
  nameDelayStepMs: number;
  nameMaxDelayMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = {
  clientBurst: 10,
  clientPerMinute: 2,
  freeFailures: 3,
  maxBackoffS: 300,
  nameSlowAfter: 20,
  nameDecayS: 6,
  nameDelayStepMs: 100,
  nameMaxDelayMs: 2_000,
};

/**
 * Sign-in throttling that cannot lock the real user out. Three measures, each by its own key:
 *
 * - per client (address): failed sign-ins spend tokens of a bucket (10 at once, 2 a minute
 *   after), so one client cannot spray names or passwords;
 * - per client and name: after 3 failures each further attempt waits 1 s, 2 s, 4 s … (≤ 5 min)
 *   after the last failure; a success clears it — this is what stops a guesser, and it stops only
 *   that guesser's client;
 * - per name, all clients together: failures above a threshold only slow the answers for that
 *   name (≤ 2 s each), they never refuse them. Failures from other clients therefore cannot keep
 *   the real administrator out: from their own client they are at most slowed.
 *
 * Kept in memory per app instance (several instances each apply their own limits).
 */
export class SignInLimiter {
  private readonly clients: TokenBuckets;
  private readonly pairs = new Map<string, { failures: number; lastAt: number }>();
  private readonly names = new Map<string, { score: number; at: number }>();
  /** Attempts checked but not yet finished: parallel guesses count before their outcome. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS,
    private readonly clock: Clock = Date.now,
  ) {
    this.clients = new TokenBuckets(limits.clientBurst, limits.clientPerMinute, clock);
  }

  private pairKey = (client: string, name: string) => `${client}\u0000${name}`;

  private backoffS(failures: number): number {
    const over = failures - this.limits.freeFailures;
    return over < 0 ? 0 : Math.min(this.limits.maxBackoffS, 2 ** over);
  }

  private nameScore(name: string, now: number): number {
    const n = this.names.get(name);
    if (!n) return 0;
    return Math.max(0, n.score - (now - n.at) / (this.limits.nameDecayS * 1000));
  }

  /**
   * Before the password is checked: refused (429 with the wait) or allowed, with a delay to
   * apply first when the name is under attack.
   */
  check(
    client: string,
    name: string,
  ): { ok: true; delayMs: number } | { ok: false; retryAfterS: number } {
    const now = this.clock();
    const cKey = `c:${client}`;
    const pKey = `p:${this.pairKey(client, name)}`;
    // every attempt in flight may still fail: it counts against the client's tokens…
    const spare = this.clients.tokens(client) - (this.inFlight.get(cKey) ?? 0);
    if (spare < 1) {
      const waitS = ((1 - spare) / this.limits.clientPerMinute) * 60;
      return { ok: false, retryAfterS: Math.max(1, Math.ceil(waitS)) };
    }
    const pair = this.pairs.get(this.pairKey(client, name));
    const pending = this.inFlight.get(pKey) ?? 0;
    // …and against the free failures on the name: past them, one attempt at a time
    if ((pair?.failures ?? 0) + pending >= this.limits.freeFailures && pending > 0)
      return { ok: false, retryAfterS: 1 };
    if (pair) {
      const until = pair.lastAt + this.backoffS(pair.failures) * 1000;
      if (until > now)
        return { ok: false, retryAfterS: Math.max(1, Math.ceil((until - now) / 1000)) };
    }
    this.inFlight.set(cKey, (this.inFlight.get(cKey) ?? 0) + 1);
    this.inFlight.set(pKey, pending + 1);
    const above = this.nameScore(name, now) - this.limits.nameSlowAfter;
    const delayMs =
      above <= 0
        ? 0
        : Math.min(this.limits.nameMaxDelayMs, Math.ceil(above) * this.limits.nameDelayStepMs);
    return { ok: true, delayMs };
  }

  /** An allowed attempt ended without an answer on the password (e.g. the database failed). */
  abandoned(client: string, name: string): void {
    for (const k of [`c:${client}`, `p:${this.pairKey(client, name)}`]) {
      const n = (this.inFlight.get(k) ?? 0) - 1;
      if (n > 0) this.inFlight.set(k, n);
      else this.inFlight.delete(k);
    }
  }

  failed(client: string, name: string): void {
    this.abandoned(client, name);
    const now = this.clock();
    this.clients.take(client);
    const key = this.pairKey(client, name);
    const pair = this.pairs.get(key);
    prune(this.pairs, 50_000, (v) => v.lastAt < now - this.limits.maxBackoffS * 1000);
    this.pairs.delete(key);
    this.pairs.set(key, { failures: (pair?.failures ?? 0) + 1, lastAt: now });
    const score = this.nameScore(name, now) + 1;
    prune(this.names, 50_000, (v) => v.at < now - v.score * this.limits.nameDecayS * 1000);
    this.names.delete(name);
    this.names.set(name, { score, at: now });
  }

  succeeded(client: string, name: string): void {
    this.abandoned(client, name);
    this.pairs.delete(this.pairKey(client, name));
  }
}

/**
 * Per-client limit on a group of routes (the portal, registry events): a caller is its service
 * client or account when it has signed in, else its address. Over the limit: 429 + Retry-After.
 */
export function rateLimit(buckets: TokenBuckets, group: string): RequestHandler {
  return (req, _res, next) => {
    const r = buckets.take(`${group}\u0000${clientOf(req)}`);
    if (r.ok) return next();
    next(
      new TooManyRequests(
        r.retryAfterS,
        `too many requests from this client; retry in ${r.retryAfterS} s`,
      ),
    );
  };
}

/** Who is asking: the principal once authenticated, else the address (behind a trusted proxy, its X-Forwarded-For). */
export function clientOf(req: Request): string {
  return req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip ?? 'unknown'}`;
}
