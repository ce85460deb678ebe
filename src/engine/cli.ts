import path from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { workflowsDir } from '../paths.js';
import { checkAllModels, formatProblems, ModelCheckError } from './model-lint.js';
import {
  ensureEngineBuild,
  jdbcFromDatabaseUrl,
  localEnginePassword,
  startEngine,
} from './runtime.js';

/**
 * The engine runtime script:
 *   fetch  – build the engine application (engine/) into the cache, once per change of its sources
 *   start  – run a standalone engine in the foreground until Ctrl-C (DATABASE_URL required)
 *   lint   – check every workflows/*.bpmn
 */
async function main(command: string | undefined): Promise<number> {
  const cfg = loadConfig();
  const log = createLogger(cfg.LOG_LEVEL);
  switch (command) {
    case 'fetch': {
      const started = Date.now();
      const build = await ensureEngineBuild(cfg.ENGINE_CACHE_DIR, log);
      process.stdout.write(
        `Process engine at ${build.dir} (${build.built ? `built in ${((Date.now() - started) / 1000).toFixed(1)}s` : 'cached'})\n`,
      );
      return 0;
    }
    case 'start': {
      if (!cfg.DATABASE_URL) {
        process.stderr.write(
          'engine start: set DATABASE_URL (the engine keeps its tables in schema operaton)\n',
        );
        return 2;
      }
      const jdbc = jdbcFromDatabaseUrl(cfg.DATABASE_URL);
      const password = localEnginePassword(cfg.DATA_DIR, cfg.ENGINE_PASSWORD);
      const engine = await startEngine(
        {
          cacheDir: cfg.ENGINE_CACHE_DIR,
          dataDir: path.join(cfg.DATA_DIR, 'engine'),
          logFile: path.join(cfg.DATA_DIR, 'logs', 'engine.log'),
          jdbcUrl: jdbc.jdbcUrl,
          jdbcUser: jdbc.user,
          jdbcPassword: jdbc.password,
          port: cfg.ENGINE_PORT,
          bind: cfg.ENGINE_BIND,
          user: cfg.ENGINE_USER,
          password,
          heap: cfg.ENGINE_HEAP,
        },
        log,
      );
      const base = engine.url.replace(/\/engine-rest$/, '');
      process.stdout.write(
        `Operaton: REST ${engine.url}, Cockpit ${base}/operaton/app/ (user ${cfg.ENGINE_USER}). Ctrl-C stops it.\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await engine.stop();
      return 0;
    }
    case 'lint': {
      try {
        const models = await checkAllModels(workflowsDir);
        const warnings = models.flatMap((m) => m.problems);
        if (warnings.length) process.stdout.write(`${formatProblems(warnings)}\n`);
        process.stdout.write(`${models.length} model(s) checked: no errors\n`);
        return 0;
      } catch (err) {
        if (err instanceof ModelCheckError) {
          process.stderr.write(`${formatProblems(err.problems)}\n`);
          return 1;
        }
        throw err;
      }
    }
    default:
      process.stderr.write('usage: engine (fetch | start | lint)\n');
      return 2;
  }
}

main(process.argv[2]).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
