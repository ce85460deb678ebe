import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SIGN_IN_LIMITS, SignInLimiter, TokenBuckets } from '../../src/api/rate-limit.js';

/** A clock the test moves by hand: no wall-clock waits. */
function fakeClock(start = Date.UTC(2026, 10, 30, 8)) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('token buckets (public routes, per client)', () => {
  it('given a client that spent its burst, when it asks again, then it is refused with the seconds until a token is back', () => {
    const clock = fakeClock();
    const b = new TokenBuckets(3, 60, clock.now);
    expect([b.take('a'), b.take('a'), b.take('a')].every((r) => r.ok)).toBe(true);
    expect(b.take('a')).toEqual({ ok: false, retryAfterS: 1 });
  });

  it('given an exhausted client, when another client asks, then the other is served', () => {
    const clock = fakeClock();
    const b = new TokenBuckets(1, 1, clock.now);
    b.take('a');
    expect(b.take('a').ok).toBe(false);
    expect(b.take('b').ok).toBe(true);
  });

  it('given an exhausted client, when the Retry-After time has passed, then it is served again', () => {
    const clock = fakeClock();
    const b = new TokenBuckets(1, 2, clock.now);
    b.take('a');
    const refused = b.take('a');
    expect(refused).toEqual({ ok: false, retryAfterS: 30 });
    clock.advance(29_000);
    expect(b.take('a').ok).toBe(false);
    clock.advance(1_000);
    expect(b.take('a').ok).toBe(true);
  });
});

describe('sign-in limits', () => {
  it('given one client spraying 40 names with wrong passwords, then after its burst of 10 it is refused with Retry-After', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    const answers = Array.from({ length: 40 }, (_, i) => {
      const r = l.check('ip:10.0.0.9', `user-${i}`);
      if (r.ok) l.failed('ip:10.0.0.9', `user-${i}`);
      return r.ok;
    });
    expect(answers.filter(Boolean)).toHaveLength(10);
    expect(l.check('ip:10.0.0.9', 'user-41')).toEqual({ ok: false, retryAfterS: 30 });
  });

  it('given three failures of a client on a name, then the fourth and later attempts back off 1 s, 2 s, 4 s', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    for (let i = 0; i < 3; i++) {
      expect(l.check('ip:a', 'admin').ok).toBe(true);
      l.failed('ip:a', 'admin');
    }
    expect(l.check('ip:a', 'admin')).toEqual({ ok: false, retryAfterS: 1 });
    clock.advance(1_000);
    expect(l.check('ip:a', 'admin').ok).toBe(true);
    l.failed('ip:a', 'admin');
    expect(l.check('ip:a', 'admin')).toEqual({ ok: false, retryAfterS: 2 });
    clock.advance(2_000);
    l.failed('ip:a', 'admin');
    expect(l.check('ip:a', 'admin')).toEqual({ ok: false, retryAfterS: 4 });
  });

  it('given a backoff, when the client signs in successfully afterwards, then its failures on the name are forgotten', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    for (let i = 0; i < 4; i++) l.failed('ip:a', 'ops');
    clock.advance(2_000);
    expect(l.check('ip:a', 'ops').ok).toBe(true);
    l.succeeded('ip:a', 'ops');
    l.failed('ip:a', 'ops');
    expect(l.check('ip:a', 'ops').ok).toBe(true);
  });

  it('given 5 failures a minute against admin from 50 other clients for an hour, then the administrator from his own client is never refused and waits at most 2 s', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    let worstDelay = 0;
    for (let minute = 0; minute < 60; minute++) {
      for (let c = 0; c < 50; c++)
        for (let k = 0; k < 5; k++) {
          const client = `ip:203.0.113.${c}`;
          if (l.check(client, 'admin').ok) l.failed(client, 'admin');
        }
      const mine = l.check('ip:192.0.2.1', 'admin');
      expect(mine.ok).toBe(true);
      if (mine.ok) worstDelay = Math.max(worstDelay, mine.delayMs);
      l.succeeded('ip:192.0.2.1', 'admin');
      clock.advance(60_000);
    }
    expect(worstDelay).toBeGreaterThan(0); // the name is under attack: answers are slowed…
    expect(worstDelay).toBeLessThanOrEqual(2_000); // …but never by more than 2 s
  });

  it('given an attack on admin that stopped, when its failures have decayed, then answers for admin are no longer slowed', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    for (let c = 0; c < 40; c++) l.failed(`ip:198.51.100.${c}`, 'admin');
    const during = l.check('ip:192.0.2.1', 'admin');
    expect(during.ok && during.delayMs).toBeGreaterThan(0);
    clock.advance(40 * DEFAULT_SIGN_IN_LIMITS.nameDecayS * 1000);
    expect(l.check('ip:192.0.2.1', 'admin')).toEqual({ ok: true, delayMs: 0 });
  });

  it('given 10 attempts of one client on one name sent at once, then 3 are let through and the rest wait (429, Retry-After 1)', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    const answers = Array.from({ length: 10 }, () => l.check('ip:a', 'admin'));
    expect(answers.filter((a) => a.ok)).toHaveLength(3);
    expect(answers.filter((a) => !a.ok)).toEqual(
      Array.from({ length: 7 }, () => ({ ok: false, retryAfterS: 1 })),
    );
  });

  it('given 40 attempts of one client on 40 names sent at once, then no more are let through than the client may fail (10)', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    const answers = Array.from({ length: 40 }, (_, i) => l.check('ip:a', `user-${i}`));
    expect(answers.filter((a) => a.ok)).toHaveLength(10);
  });

  it('given an attempt that ended without an answer (database down), then it no longer counts as in flight', () => {
    const clock = fakeClock();
    const l = new SignInLimiter(DEFAULT_SIGN_IN_LIMITS, clock.now);
    for (let i = 0; i < 10; i++) {
      expect(l.check('ip:a', `u-${i}`).ok).toBe(true);
      l.abandoned('ip:a', `u-${i}`);
    }
    expect(l.check('ip:a', 'u-x').ok).toBe(true);
  });
});
