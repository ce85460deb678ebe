/**
 * The engine clock, for tests only: the broker accepts these calls when it was started with
 * ZEEBE_CLOCK_CONTROLLED=true (see runtime.ts). Timers fire when the pinned time passes them.
 */
export class EngineClock {
  constructor(private readonly restAddress: string) {}

  async pin(at: Date): Promise<void> {
    const res = await fetch(`${this.restAddress}/v2/clock`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ timestamp: at.getTime() }),
    });
    if (res.status !== 204) throw new Error(`pin clock: HTTP ${res.status} ${await res.text()}`);
  }

  async reset(): Promise<void> {
    const res = await fetch(`${this.restAddress}/v2/clock/reset`, { method: 'POST' });
    if (res.status !== 204) throw new Error(`reset clock: HTTP ${res.status} ${await res.text()}`);
  }
}
