import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { ensureDistribution } from './distribution.js';
import { HISTORY_EXPORTER_CLASS } from './history-exporter.js';
import { findJdk } from './jdk.js';

export interface BrokerOptions {
  version: string;
  cacheDir: string;
  /** Broker state (log, snapshots); kept between runs of `npm start`, fresh for tests. */
  dataDir: string;
  logFile: string;
  host?: string;
  grpcPort: number;
  restPort: number;
  managementPort: number;
  heap: string;
  /** Tests only: lets the test move the engine clock (PUT /v2/clock). Never in production. */
  controlledClock?: boolean;
  readyTimeoutMs?: number;
  /** Loads the history exporter, which posts the engine's records to the app's intake. */
  historyExporter?: { jarPath: string; url: string; token: string };
}

export interface RunningBroker {
  pid: number;
  grpcAddress: string;
  restAddress: string;
  managementAddress: string;
  version: string;
  stop(): Promise<void>;
}

interface Topology {
  brokers?: { partitions?: { partitionId: number; role: string; health: string }[] }[];
  partitionsCount?: number;
}

/** Healthy when every partition has a healthy leader. */
export function topologyReady(t: Topology): boolean {
  const leaders = new Set<number>();
  for (const b of t.brokers ?? []) {
    for (const p of b.partitions ?? []) {
      if (p.role === 'leader' && p.health === 'healthy') leaders.add(p.partitionId);
    }
  }
  return (t.partitionsCount ?? 0) > 0 && leaders.size === t.partitionsCount;
}

export async function fetchTopology(restAddress: string, timeoutMs = 2000): Promise<Topology> {
  const res = await fetch(`${restAddress}/v2/topology`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`topology: HTTP ${res.status}`);
  return (await res.json()) as Topology;
}

async function isListening(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return !pidAlive(pid);
}

/** Stops a broker process group: SIGTERM (clean shutdown), then SIGKILL after the grace period. */
export async function stopProcessGroup(pid: number, graceMs = 30_000): Promise<void> {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  if (!(await waitForExit(pid, graceMs))) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    await waitForExit(pid, 5000);
  }
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/**
 * A broker left behind by a killed parent (SIGKILL gives us no chance to stop it) still holds
 * the data directory. Its pid is in the pid file; stop it before starting a new one.
 */
async function stopOrphan(pidFile: string, log: Logger): Promise<void> {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && pidAlive(pid)) {
    let cmdline = '';
    try {
      cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      /* not Linux, or gone */
    }
    if (cmdline.includes('camunda') || cmdline.includes('zeebe')) {
      log.warn({ pid }, 'stopping a broker left behind by an earlier run');
      await stopProcessGroup(pid);
    }
  }
  fs.rmSync(pidFile, { force: true });
}

/**
 * Starts one Camunda broker with its embedded gateway (gRPC, REST, management ports), sized
 * for a 2-core machine, and waits until every partition has a healthy leader.
 */
export async function startBroker(opts: BrokerOptions, log: Logger): Promise<RunningBroker> {
  const host = opts.host ?? '127.0.0.1';
  const restAddress = `http://${host}:${opts.restPort}`;
  const managementAddress = `http://${host}:${opts.managementPort}`;
  const pidFile = path.join(opts.dataDir, 'broker.pid');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
  await stopOrphan(pidFile, log);

  if (await isListening(`${restAddress}/v2/topology`)) {
    throw new Error(
      `Port ${opts.restPort} already answers: another broker is running there. ` +
        `Stop it, or point ZEEBE_ADDRESS and CAMUNDA_REST_ADDRESS at it to use it.`,
    );
  }

  const jdk = findJdk();
  const dist = await ensureDistribution(opts.version, opts.cacheDir, log);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    JAVA_HOME: jdk.home,
    JAVA_OPTS: [
      `-Xms256m`,
      `-Xmx${opts.heap}`,
      '-XX:MaxDirectMemorySize=256m',
      '-XX:+ExitOnOutOfMemoryError',
      '-XX:TieredStopAtLevel=1',
      '-Xss512k',
      // cron timer cycles (e.g. the Q1 re-verification) are read in the JVM's zone: make it UTC
      '-Duser.timezone=UTC',
    ].join(' '),
    ZEEBE_BROKER_NETWORK_HOST: host,
    ZEEBE_BROKER_GATEWAY_ENABLE: 'true',
    ZEEBE_BROKER_GATEWAY_NETWORK_HOST: host,
    ZEEBE_BROKER_GATEWAY_NETWORK_PORT: String(opts.grpcPort),
    ZEEBE_BROKER_NETWORK_COMMANDAPI_PORT: String(opts.grpcPort + 1),
    ZEEBE_BROKER_NETWORK_INTERNALAPI_PORT: String(opts.grpcPort + 2),
    SERVER_ADDRESS: host,
    SERVER_PORT: String(opts.restPort),
    MANAGEMENT_SERVER_PORT: String(opts.managementPort),
    ZEEBE_BROKER_DATA_DIRECTORY: path.join(opts.dataDir, 'data'),
    // One broker, one partition: the cluster sizes for this 2-core machine.
    ZEEBE_BROKER_CLUSTER_CLUSTERSIZE: '1',
    ZEEBE_BROKER_CLUSTER_REPLICATIONFACTOR: '1',
    ZEEBE_BROKER_CLUSTER_PARTITIONSCOUNT: '1',
    ZEEBE_BROKER_THREADS_CPUTHREADCOUNT: '1',
    ZEEBE_BROKER_THREADS_IOTHREADCOUNT: '1',
    ZEEBE_BROKER_DATA_DISK_FREESPACE_PROCESSING: '1GB',
    ZEEBE_BROKER_DATA_DISK_FREESPACE_REPLICATION: '512MB',
    ZEEBE_BROKER_DATA_LOGSEGMENTSIZE: '64MB',
  };
  if (opts.controlledClock) env.ZEEBE_CLOCK_CONTROLLED = 'true';
  if (opts.historyExporter) {
    env.ZEEBE_BROKER_EXPORTERS_HISTORY_CLASSNAME = HISTORY_EXPORTER_CLASS;
    env.ZEEBE_BROKER_EXPORTERS_HISTORY_JARPATH = opts.historyExporter.jarPath;
    env.ZEEBE_BROKER_EXPORTERS_HISTORY_ARGS_URL = opts.historyExporter.url;
    env.ZEEBE_BROKER_EXPORTERS_HISTORY_ARGS_TOKEN = opts.historyExporter.token;
  }

  const logFd = fs.openSync(opts.logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(path.join(dist.home, 'bin', 'broker'), [], {
      cwd: dist.home,
      env,
      detached: true, // own process group, so stop() reaches the JVM and its children
      stdio: ['ignore', logFd, logFd],
    });
  } finally {
    fs.closeSync(logFd);
  }
  const pid = child.pid;
  if (!pid) throw new Error('could not start the broker process');
  fs.writeFileSync(pidFile, `${pid}\n`);
  let exited: number | null = null;
  child.on('exit', (code) => {
    exited = code ?? -1;
  });
  child.unref();

  const started = Date.now();
  const timeout = opts.readyTimeoutMs ?? 120_000;
  log.info(
    { version: dist.version, java: jdk.version, pid, logFile: opts.logFile },
    'starting Zeebe broker',
  );
  for (;;) {
    if (exited !== null) {
      throw new Error(
        `Zeebe broker exited with code ${exited} while starting. Last log lines:\n${tail(opts.logFile)}`,
      );
    }
    try {
      if (topologyReady(await fetchTopology(restAddress))) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() - started > timeout) {
      await stopProcessGroup(pid);
      throw new Error(
        `Zeebe broker not ready within ${timeout / 1000}s. Last log lines:\n${tail(opts.logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  log.info({ seconds: (Date.now() - started) / 1000 }, 'Zeebe broker ready');

  return {
    pid,
    grpcAddress: `${host}:${opts.grpcPort}`,
    restAddress,
    managementAddress,
    version: dist.version,
    async stop() {
      await stopProcessGroup(pid);
      fs.rmSync(pidFile, { force: true });
      log.info({ pid }, 'Zeebe broker stopped');
    },
  };
}
