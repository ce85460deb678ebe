import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { workflowsDir } from '../paths.js';
import { checkAllModels, formatProblems, ModelCheckError } from './model-lint.js';
import { ensureEngineBuild, jdbcFromDatabaseUrl, startEngine } from './runtime.js';

/**
 * The engine's own settings for this script (the lead folds them into config.ts when the stack
 * switches to Operaton): where the build is cached, and how a standalone engine listens.
 */
const engineEnv = z.object({
  ENGINE_CACHE_DIR: z.string().default(path.join(os.homedir(), '.cache', 'az-housing', 'engine')),
  ENGINE_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  ENGINE_BIND: z.string().default('127.0.0.1'),
  ENGINE_USER: z
    .string()
    .regex(/^[A-Za-z0-9]{1,64}$/, 'letters and digits only')
    .default('housingapp'),
  ENGINE_PASSWORD: z.string().min(16).optional(),
  ENGINE_HEAP: z.string().default('512m'),
});

/**
 * The engine runtime script:
 *   fetch  – build the engine application (engine/) into the cache, once per change of its sources
 *   start  – run a standalone engine in the foreground until Ctrl-C (DATABASE_URL required)
 *   lint   – check every workflows/*.bpmn
 */
async function main(command: string | undefined): Promise<number> {
  const cfg = loadConfig();
  const eng = engineEnv.parse(process.env);
  const log = createLogger(cfg.LOG_LEVEL);
  switch (command) {
    case 'fetch': {
      const started = Date.now();
      const build = await ensureEngineBuild(eng.ENGINE_CACHE_DIR, log);
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
      let password = eng.ENGINE_PASSWORD;
      if (!password) {
        // no default password: a random one, readable by this user only
        password = randomBytes(18).toString('base64url');
        const file = path.join(cfg.DATA_DIR, 'engine-password');
        fs.mkdirSync(cfg.DATA_DIR, { recursive: true });
        fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
        process.stdout.write(`ENGINE_PASSWORD unset: a random one is in ${file}\n`);
      }
      const engine = await startEngine(
        {
          cacheDir: eng.ENGINE_CACHE_DIR,
          dataDir: path.join(cfg.DATA_DIR, 'engine'),
          logFile: path.join(cfg.DATA_DIR, 'logs', 'engine.log'),
          jdbcUrl: jdbc.jdbcUrl,
          jdbcUser: jdbc.user,
          jdbcPassword: jdbc.password,
          port: eng.ENGINE_PORT,
          bind: eng.ENGINE_BIND,
          user: eng.ENGINE_USER,
          password,
          heap: eng.ENGINE_HEAP,
        },
        log,
      );
      const base = engine.url.replace(/\/engine-rest$/, '');
      process.stdout.write(
        `Operaton: REST ${engine.url}, Cockpit ${base}/operaton/app/ (user ${eng.ENGINE_USER}). Ctrl-C stops it.\n`,
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
        const models = await checkAllModels(workflowsDir, cfg.CAMUNDA_VERSION);
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
