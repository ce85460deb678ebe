import path from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { workflowsDir } from '../paths.js';
import { ensureDistribution } from './distribution.js';
import { ensureHistoryExporter } from './history-exporter.js';
import { checkAllModels, formatProblems, ModelCheckError } from './model-lint.js';
import { startBroker } from './runtime.js';

/**
 * The engine runtime script:
 *   fetch  – fetch and unpack the Camunda distribution into the cache (once per machine), and
 *            build the history exporter jar (once per change of its sources)
 *   start  – run a broker in the foreground until Ctrl-C
 *   lint   – check every workflows/*.bpmn against the engine version
 */
async function main(command: string | undefined): Promise<number> {
  const cfg = loadConfig();
  const log = createLogger(cfg.LOG_LEVEL);
  switch (command) {
    case 'fetch': {
      const started = Date.now();
      const dist = await ensureDistribution(cfg.CAMUNDA_VERSION, cfg.CAMUNDA_CACHE_DIR, log);
      process.stdout.write(
        `Camunda ${dist.version} at ${dist.home} (${dist.fetched ? `fetched in ${((Date.now() - started) / 1000).toFixed(1)}s` : 'cached'})\n`,
      );
      const jar = await ensureHistoryExporter(cfg.HISTORY_EXPORTER_CACHE_DIR, log);
      process.stdout.write(
        `History exporter at ${jar.jarPath} (${jar.built ? 'built' : 'cached'})\n`,
      );
      return 0;
    }
    case 'start': {
      const broker = await startBroker(
        {
          version: cfg.CAMUNDA_VERSION,
          cacheDir: cfg.CAMUNDA_CACHE_DIR,
          dataDir: path.join(cfg.DATA_DIR, 'zeebe'),
          logFile: path.join(cfg.DATA_DIR, 'logs', 'zeebe.log'),
          grpcPort: cfg.ZEEBE_GRPC_PORT,
          restPort: cfg.ZEEBE_REST_PORT,
          managementPort: cfg.ZEEBE_MANAGEMENT_PORT,
          heap: cfg.ZEEBE_HEAP,
        },
        log,
      );
      process.stdout.write(
        `Zeebe ${broker.version}: gRPC ${broker.grpcAddress}, REST ${broker.restAddress}. Ctrl-C stops it.\n`,
      );
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await broker.stop();
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
