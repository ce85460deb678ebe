import { describe, expect, it } from '@jest/globals';
import { decideNoMatch, nextAttemptDelayMs } from '../../src/engine/messages.js';
import { errorDetails, errorMessage, failurePlan } from '../../src/engine/workers.js';

describe('engine outbox: backoff and no-match rules', () => {
  it('given attempts, when the next delay is computed, then it doubles from the base up to the cap', () => {
    expect([0, 1, 2, 3, 10, 100].map((a) => nextAttemptDelayMs(a, 1000, 60_000))).toEqual([
      1000, 2000, 4000, 8000, 60_000, 60_000,
    ]);
  });

  const now = new Date('2026-11-30T10:00:00Z');
  const later = new Date('2026-12-01T10:00:00Z');
  it('given no instance of the case yet, when no one waits, then the row is retried until its deadline', () => {
    expect(decideNoMatch({ now, deadlineAt: later, instances: [] })).toBe('retry');
    expect(decideNoMatch({ now: later, deadlineAt: later, instances: [] })).toBe('expired');
  });
  it('given a running instance not yet at its catch event, when no one waits, then retry', () => {
    expect(
      decideNoMatch({ now, deadlineAt: later, instances: [{ ended: true }, { ended: false }] }),
    ).toBe('retry');
  });
  it('given instances that have all ended, when no one waits, then the message is late even before its deadline', () => {
    expect(decideNoMatch({ now, deadlineAt: later, instances: [{ ended: true }] })).toBe('late');
  });
});

describe('worker host: failure reports', () => {
  it('given a task never failed (engine retries null), when it fails, then one retry fewer than the default is left after the base backoff', () => {
    expect(failurePlan(null, 5, 1000)).toEqual({ retries: 4, retryTimeout: 1000 });
    expect(failurePlan(4, 5, 1000)).toEqual({ retries: 3, retryTimeout: 2000 });
    expect(failurePlan(2, 5, 1000)).toEqual({ retries: 1, retryTimeout: 8000 });
  });
  it('given the last retry, when it fails, then retries 0 (an incident) and no timeout', () => {
    expect(failurePlan(1, 5, 1000)).toEqual({ retries: 0, retryTimeout: 0 });
    expect(failurePlan(0, 5, 1000)).toEqual({ retries: 0, retryTimeout: 0 });
  });
  it('given an error with a message carrying data, when details are built, then they hold the frames and names but no message', () => {
    const cause = new TypeError('FIN 1234567 not found');
    const err = new Error('registry lookup for FIN 1234567 failed', { cause });
    const details = errorDetails(err);
    expect(details).not.toContain('1234567');
    expect(details).toMatch(/^Error\n\s+at /);
    expect(details).toContain('Caused by: TypeError');
    expect(errorMessage('check-registry', new Error('boom'))).toBe('check-registry failed: boom');
    expect(errorMessage('t', new Error('x'.repeat(2000))).length).toBe(600);
  });
});

describe('message catalog (workflows/messages.json)', () => {
  it('given the catalog, when read, then every caught message names its correlation variable and every catch names process#activity', async () => {
    const { loadMessageCatalog } = await import('../../src/engine/messages.js');
    const catalog = loadMessageCatalog();
    expect(Object.keys(catalog)).toEqual(expect.arrayContaining(['application-submitted']));
    for (const [name, e] of Object.entries(catalog)) {
      if (e.catches.length > 0)
        expect([name, typeof e.correlationVariable]).toEqual([name, 'string']);
      for (const c of e.catches) expect(c).toMatch(/^[\w-]+#[\w-]+$/);
      expect(e.starts.length).toBeLessThanOrEqual(1); // the engine allows one start per message name
    }
  });
});
