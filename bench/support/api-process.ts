import { createApp } from '../../src/api/app.js';
import { createPool } from '../../src/db/pool.js';
import { createLogger } from '../../src/logger.js';

/**
 * The app's HTTP API alone in its own process, for benchmarks whose clients must not share the
 * server's event loop (bench/inbox.ts forks it). DATABASE_URL and API_PORT name the database
 * and the port; POOL_MAX the connection pool (default 10, as the app). Sends 'ready' to its
 * parent once listening; SIGTERM stops it.
 */
const pool = createPool({
  connectionString: process.env.DATABASE_URL!,
  max: Number(process.env.POOL_MAX ?? 10),
});
const app = createApp({
  pool,
  log: createLogger('silent'),
  engineReady: async () => true,
  onEngineMessagesQueued: () => undefined,
  auth: { sessionHours: 4 },
});
const server = app.listen(Number(process.env.API_PORT), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => void pool.end().then(() => process.exit(0)));
});
