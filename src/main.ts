import { readyBanner } from './banner.js';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startStack } from './stack.js';

/** `npm start`: the whole stack in one process tree; Ctrl-C (or SIGTERM) stops all of it. */
async function main(): Promise<void> {
  const cfg = loadConfig();
  const log = createLogger(cfg.LOG_LEVEL);
  const started = Date.now();
  const stack = await startStack(cfg, log);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    readyBanner({
      seconds,
      apiUrl: stack.apiUrl,
      dataDir: cfg.DATA_DIR,
      adminPasswordFromEnv: !!cfg.ADMIN_PASSWORD,
      engine: stack.engine,
      enginePasswordFromEnv: !!cfg.ENGINE_PASSWORD,
      database: stack.db.server
        ? `embedded PostgreSQL ${stack.db.server.host}:${stack.db.server.port} (${stack.db.server.clusterDir})`
        : 'DATABASE_URL',
    }),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    stack
      .stop()
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
