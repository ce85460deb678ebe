// Jest loads global setup outside its module system, so this file uses the compiled sources
// (`npm test` builds first).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../dist/src/config.js';
import { startBroker } from '../../dist/src/engine/runtime.js';
import { createLogger } from '../../dist/src/logger.js';
import { projectRoot } from '../../dist/src/paths.js';

/**
 * One real broker for the whole integration run, started with the controlled clock so tests
 * can move engine time (timers). Its state lives in a temporary folder removed at the end.
 * Set TEST_ZEEBE_ADDRESS and TEST_CAMUNDA_REST_ADDRESS to use a broker that is already running.
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
  const broker = await startBroker(
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
    },
    log,
  );
  globalThis.__testBroker = broker;
  globalThis.__testBrokerDataDir = dataDir;
  // Test workers inherit these (Jest starts them after global setup).
  process.env.TEST_ZEEBE_ADDRESS = broker.grpcAddress;
  process.env.TEST_CAMUNDA_REST_ADDRESS = broker.restAddress;
  process.env.TEST_CAMUNDA_VERSION = broker.version;
}
