// Jest loads global setup outside its module system, so this file uses the compiled sources
// (`npm test` builds first).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../dist/src/config.js';
import { ensureHistoryExporter } from '../../dist/src/engine/history-exporter.js';
import { startBroker } from '../../dist/src/engine/runtime.js';
import { createLogger } from '../../dist/src/logger.js';
import { projectRoot } from '../../dist/src/paths.js';
import { startHistoryRelay } from './history-relay.mjs';

/**
 * One real broker for the whole integration run, started with the controlled clock so tests
 * can move engine time (timers). Its state lives in a temporary folder removed at the end.
 * Set TEST_ZEEBE_ADDRESS and TEST_CAMUNDA_REST_ADDRESS to use a broker that is already running.
 * Its history exporter posts to a relay (test infrastructure) that forwards to every test app.
 */
export default async function globalSetup() {
  if (process.env.TEST_ZEEBE_ADDRESS && process.env.TEST_CAMUNDA_REST_ADDRESS) return;
  const cfg = loadConfig();
  const logDir = path.join(projectRoot, 'var', 'test-logs');
  fs.mkdirSync(logDir, { recursive: true });
  const log = createLogger(
    'info',
    fs.createWriteStream(path.join(logDir, 'setup.log'), { flags: 'a' }),
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-housing-broker-'));
  const relay = await startHistoryRelay({ log: (msg) => log.warn(msg) });
  globalThis.__testHistoryRelay = relay;
  let broker;
  try {
    const { jarPath } = await ensureHistoryExporter(cfg.HISTORY_EXPORTER_CACHE_DIR, log);
    broker = await startBroker(
      {
        version: cfg.CAMUNDA_VERSION,
        cacheDir: cfg.CAMUNDA_CACHE_DIR,
        dataDir,
        logFile: path.join(logDir, 'zeebe.log'),
        grpcPort: Number(process.env.TEST_ZEEBE_GRPC_PORT ?? 26600),
        restPort: Number(process.env.TEST_ZEEBE_REST_PORT ?? 8180),
        managementPort: Number(process.env.TEST_ZEEBE_MANAGEMENT_PORT ?? 9700),
        heap: cfg.ZEEBE_HEAP,
        controlledClock: true,
        historyExporter: { jarPath, url: relay.exportUrl, token: relay.token },
      },
      log,
    );
  } catch (err) {
    await relay.stop();
    throw err;
  }
  globalThis.__testBroker = broker;
  globalThis.__testBrokerDataDir = dataDir;
  // Test workers inherit these (Jest starts them after global setup).
  process.env.TEST_ZEEBE_ADDRESS = broker.grpcAddress;
  process.env.TEST_CAMUNDA_REST_ADDRESS = broker.restAddress;
  process.env.TEST_CAMUNDA_VERSION = broker.version;
  process.env.TEST_HISTORY_RELAY_URL = relay.url;
}
