import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from 'pino';

const run = promisify(execFile);

export const CAMUNDA_GROUP = 'io.camunda';
export const CAMUNDA_ARTIFACT = 'camunda-zeebe';

export interface Distribution {
  version: string;
  home: string;
  /** True when this call fetched or unpacked it; false when the cache already had it. */
  fetched: boolean;
}

export function distributionHome(cacheDir: string, version: string): string {
  return path.join(cacheDir, `${CAMUNDA_ARTIFACT}-${version}`);
}

function isComplete(home: string): boolean {
  return (
    fs.existsSync(path.join(home, '.complete')) && fs.existsSync(path.join(home, 'bin', 'broker'))
  );
}

async function mavenLocalRepository(): Promise<string> {
  const { stdout } = await run(
    'mvn',
    [
      '-B',
      '-q',
      '-Dstyle.color=never',
      'help:evaluate',
      '-Dexpression=settings.localRepository',
      '-DforceStdout',
    ],
    { maxBuffer: 1 << 20 },
  );
  // strip any ANSI colour codes mvn may still print
  return stdout.replace(/\u001b\[[0-9;]*m/g, '').trim();
}

/**
 * Makes sure the Camunda distribution is unpacked in the cache directory (outside git, in the
 * home directory, so fresh clones and CI runs on the same machine reuse it). The archive comes
 * from Maven Central through `mvn dependency:get`; unpacking goes to a temporary folder that is
 * renamed into place, so an interrupted run never leaves a half-unpacked distribution.
 */
export async function ensureDistribution(
  version: string,
  cacheDir: string,
  log: Logger,
): Promise<Distribution> {
  const home = distributionHome(cacheDir, version);
  if (isComplete(home)) return { version, home, fetched: false };

  fs.mkdirSync(cacheDir, { recursive: true });
  const coordinate = `${CAMUNDA_GROUP}:${CAMUNDA_ARTIFACT}:${version}:tar.gz`;
  log.info({ coordinate }, 'fetching the Camunda distribution from Maven Central (first run only)');
  const started = Date.now();
  try {
    await run(
      'mvn',
      [
        '-B',
        '-q',
        '-Dstyle.color=never',
        'dependency:get',
        `-Dartifact=${coordinate}`,
        '-Dtransitive=false',
      ],
      {
        maxBuffer: 16 << 20,
      },
    );
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string };
    if (e.code === 'ENOENT') {
      throw new Error(
        'Apache Maven (`mvn`) is needed to fetch the Camunda distribution; install it (apt-get install maven).',
      );
    }
    throw new Error(`mvn could not fetch ${coordinate}: ${(e.stdout ?? e.message).slice(-2000)}`);
  }
  const repo = await mavenLocalRepository();
  const archive = path.join(
    repo,
    ...CAMUNDA_GROUP.split('.'),
    CAMUNDA_ARTIFACT,
    version,
    `${CAMUNDA_ARTIFACT}-${version}.tar.gz`,
  );
  if (!fs.existsSync(archive)) throw new Error(`mvn reported success but ${archive} is missing`);

  const staging = fs.mkdtempSync(path.join(cacheDir, '.unpack-'));
  try {
    await run('tar', ['-xzf', archive, '-C', staging]);
    const unpacked = path.join(staging, `${CAMUNDA_ARTIFACT}-${version}`);
    if (!fs.existsSync(path.join(unpacked, 'bin', 'broker'))) {
      throw new Error(`${archive} does not contain ${CAMUNDA_ARTIFACT}-${version}/bin/broker`);
    }
    fs.writeFileSync(path.join(unpacked, '.complete'), `${coordinate}\n`);
    if (!isComplete(home)) {
      fs.rmSync(home, { recursive: true, force: true });
      fs.renameSync(unpacked, home);
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  log.info(
    { coordinate, seconds: Math.round((Date.now() - started) / 1000) },
    'Camunda distribution ready',
  );
  return { version, home, fetched: true };
}
