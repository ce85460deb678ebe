import { describe, expect, it } from '@jest/globals';
import { topologyReady } from '../../src/engine/runtime.js';

const partition = (partitionId: number, role: string, health: string) => ({
  partitionId,
  role,
  health,
});

describe('broker readiness from the topology', () => {
  it('given every partition has a healthy leader, then it is ready', () => {
    expect(
      topologyReady({
        partitionsCount: 2,
        brokers: [
          { partitions: [partition(1, 'leader', 'healthy')] },
          { partitions: [partition(2, 'leader', 'healthy'), partition(1, 'follower', 'healthy')] },
        ],
      }),
    ).toBe(true);
  });
  it('given a partition without a leader, then it is not ready', () => {
    expect(
      topologyReady({
        partitionsCount: 2,
        brokers: [
          { partitions: [partition(1, 'leader', 'healthy'), partition(2, 'follower', 'healthy')] },
        ],
      }),
    ).toBe(false);
  });
  it('given an unhealthy leader, then it is not ready', () => {
    expect(
      topologyReady({
        partitionsCount: 1,
        brokers: [{ partitions: [partition(1, 'leader', 'unhealthy')] }],
      }),
    ).toBe(false);
  });
  it('given no brokers yet, then it is not ready', () => {
    expect(topologyReady({ partitionsCount: 0, brokers: [] })).toBe(false);
  });
});
