// The API alone (no engine, workers or outbox) as a process of its own, on DATABASE_URL, for
// tests that kill it (SIGKILL) mid-load: registration-numbers-kill.test.ts. Jest runs TypeScript
// in its own process only, so this uses the compiled sources (`npm test` builds first).
// Prints "listening <url>" once it accepts requests.
import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../dist/src/api/app.js';
import { createPool } from '../../dist/src/db/pool.js';
import { createLogger } from '../../dist/src/logger.js';

const logFile = process.env.API_LOG_FILE;
if (logFile) fs.mkdirSync(path.dirname(logFile), { recursive: true });
const log = createLogger(
  'info',
  logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : process.stderr,
);
const pool = createPool({ connectionString: process.env.DATABASE_URL, max: 8 });
const app = createApp({
  pool,
  log,
  engineReady: async () => false,
  onEngineMessagesQueued: () => undefined,
  auth: { sessionHours: 1 },
  http: { publicPerMinute: 1_000_000 },
});
const server = app.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening http://127.0.0.1:${server.address().port}\n`);
});
