import { describe, expect, it } from '@jest/globals';
import { retryBackoffMs } from '../../src/engine/retry.js';

describe('retry backoff', () => {
  it('given the first failure (5 of 5 retries left), then it waits the base delay', () => {
    expect(retryBackoffMs(1000, 5)).toBe(1000);
  });
  it('given later failures, then the delay doubles each time', () => {
    expect([4, 3, 2, 1].map((left) => retryBackoffMs(1000, left))).toEqual([
      2000, 4000, 8000, 16000,
    ]);
  });
  it('given a huge base, then the delay is capped at 10 minutes', () => {
    expect(retryBackoffMs(500_000, 1)).toBe(600_000);
  });
});
