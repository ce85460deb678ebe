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

  // Shutdown is bounded whatever is down (a crashed engine, a stopped database): each step of
  // stack.stop() has its own limit, the whole stop SHUTDOWN_TIMEOUT_MS, and a second signal
  // stops at once. Forced, the child processes (engine, embedded database) are stopped hard so
  // that none is left behind holding its port.
  const limitMs = cfg.SHUTDOWN_TIMEOUT_MS;
  /** Whatever child a step could not stop in time is stopped hard, never left behind. */
  const reap = () => {
    const engine = stack.engine.process?.pid;
    if (engine) killQuietly(-engine, 'SIGKILL');
    const db = stack.db.server?.pid;
    if (db) killQuietly(db, 'SIGQUIT'); // immediate shutdown, recovered at the next start
  };
  const force = (why: string) => {
    log.warn({ why }, 'stopping hard');
    reap();
    process.exit(1);
  };
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return force(`second ${signal}`);
    stopping = true;
    log.info({ signal, limitMs }, 'stopping');
    setTimeout(() => force(`not stopped within ${limitMs} ms`), limitMs).unref();
    stack
      .stop()
      .then(() => {
        reap();
        process.exit(0);
      })
      .catch(() => {
        reap();
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
