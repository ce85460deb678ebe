/**
 * TEMPORARY shim, to be deleted when src/stack.ts is switched to Operaton (startEngine in
 * ./runtime.ts): the Zeebe broker runtime and the history exporter build are gone, but stack.ts
 * still imports their names. Everything here throws, so nothing silently runs without an engine.
 */
import type { Logger } from 'pino';

const REMOVED =
  'The Zeebe broker was replaced by Operaton: src/stack.ts must start it with startEngine (src/engine/runtime.ts)';

export interface RunningBroker {
  pid: number;
  grpcAddress: string;
  restAddress: string;
  managementAddress: string;
  version: string;
  stop(): Promise<void>;
}

export function startBroker(_opts: unknown, _log: Logger): Promise<RunningBroker> {
  return Promise.reject(new Error(REMOVED));
}

export function fetchTopology(_restAddress: string, _timeoutMs?: number): Promise<unknown> {
  return Promise.reject(new Error(REMOVED));
}

export function topologyReady(_t: unknown): boolean {
  return false;
}

export function ensureHistoryExporter(
  _cacheDir: string,
  _log: Logger,
): Promise<{ jarPath: string }> {
  return Promise.reject(new Error(REMOVED));
}
