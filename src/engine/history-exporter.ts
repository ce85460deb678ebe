import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';
import { projectRoot } from '../paths.js';
import { findJdk } from './jdk.js';

const run = promisify(execFile);

/** The Zeebe exporter that sends the engine's history to the app (engine/history-exporter). */
export const HISTORY_EXPORTER_DIR = path.join(projectRoot, 'engine', 'history-exporter');
export const HISTORY_EXPORTER_CLASS = 'az.housing.history.HistoryExporter';

function sourceFiles(dir: string): string[] {
  const out: string[] = [path.join(dir, 'pom.xml')];
  const walk = (d: string) => {
    for (const e of fs
      .readdirSync(d, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(path.join(dir, 'src'));
  return out;
}

/** Hash of the exporter's sources: the cached jar's name, so a change rebuilds it. */
export function exporterSourceHash(dir = HISTORY_EXPORTER_DIR): string {
  const h = createHash('sha256');
  for (const f of sourceFiles(dir)) {
    h.update(path.relative(dir, f).split(path.sep).join('/'));
    h.update('\0');
    h.update(fs.readFileSync(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

export interface ExporterJar {
  jarPath: string;
  /** True when this call built it; false when the cache had it. */
  built: boolean;
}

/**
 * Builds the exporter jar with Maven into the cache directory (outside git, in the home
 * directory, so fresh clones and CI on this machine reuse it), keyed by the hash of its
 * sources. The build runs in a temporary copy so the source tree stays clean; an online build
 * that fails (no network) is retried offline from the local Maven repository.
 */
export async function ensureHistoryExporter(
  cacheDir: string,
  log: Logger,
  sourceDir = HISTORY_EXPORTER_DIR,
): Promise<ExporterJar> {
  const jarPath = path.join(cacheDir, `${exporterSourceHash(sourceDir)}.jar`);
  if (fs.existsSync(jarPath)) return { jarPath, built: false };

  fs.mkdirSync(cacheDir, { recursive: true });
  const work = fs.mkdtempSync(path.join(cacheDir, '.build-'));
  try {
    fs.cpSync(path.join(sourceDir, 'pom.xml'), path.join(work, 'pom.xml'));
    fs.cpSync(path.join(sourceDir, 'src'), path.join(work, 'src'), { recursive: true });
    const jdk = findJdk();
    const env = { ...process.env, JAVA_HOME: jdk.home };
    const started = Date.now();
    log.info({ jarPath }, 'building the history exporter (once per change of its sources)');
    const mvn = (extra: string[]) =>
      run('mvn', ['-B', '-q', '-Dstyle.color=never', ...extra, 'package'], {
        cwd: work,
        env,
        maxBuffer: 16 << 20,
      });
    try {
      await mvn([]);
    } catch (err) {
      const e = err as NodeJS.ErrnoException & { stdout?: string };
      if (e.code === 'ENOENT') {
        throw new Error(
          'Apache Maven (`mvn`) is needed to build the history exporter; install it (apt-get install maven).',
        );
      }
      log.warn('online build of the history exporter failed; trying offline');
      try {
        await mvn(['-o']);
      } catch (err2) {
        const e2 = err2 as { stdout?: string; message: string };
        throw new Error(
          `mvn could not build the history exporter: ${(e2.stdout ?? e2.message).slice(-2000)}`,
        );
      }
    }
    const built = path.join(work, 'target', 'history-exporter.jar');
    if (!fs.existsSync(built)) throw new Error(`mvn reported success but ${built} is missing`);
    const tmp = `${jarPath}.${process.pid}.tmp`;
    fs.copyFileSync(built, tmp);
    fs.renameSync(tmp, jarPath); // atomic: a concurrent start sees the whole jar or none
    log.info(
      { jarPath, seconds: Math.round((Date.now() - started) / 1000) },
      'history exporter built',
    );
    return { jarPath, built: true };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
