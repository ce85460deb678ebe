// Jest loads global setup outside its module system, so this file uses the compiled sources
// (`npm test` builds first).
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../dist/src/config.js';
import { ensureEngineBuild } from '../../dist/src/engine/runtime.js';
import { createLogger } from '../../dist/src/logger.js';
import { projectRoot } from '../../dist/src/paths.js';

/**
 * Builds the engine application once for the run (each test file then starts its own engine on
 * its own database from that build) and clears the previous run's data folders.
 */
export default async function globalSetup() {
  const cfg = loadConfig();
  const logDir = path.join(projectRoot, 'var', 'test-logs');
  fs.mkdirSync(logDir, { recursive: true });
  fs.rmSync(path.join(projectRoot, 'var', 'test-runs'), { recursive: true, force: true });
  const log = createLogger(
    'info',
    fs.createWriteStream(path.join(logDir, 'setup.log'), { flags: 'a' }),
  );
  await ensureEngineBuild(cfg.ENGINE_CACHE_DIR, log);
}
