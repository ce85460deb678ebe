import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Operaton 1.0 (Spring Boot 3) needs Java 17 or newer. */
export const MIN_JAVA_MAJOR = 17;

export interface Jdk {
  home: string;
  major: number;
  version: string;
}

/** Reads JAVA_VERSION from a JDK's `release` file; undefined when it is not a JDK. */
export function readJdk(home: string): Jdk | undefined {
  try {
    const release = fs.readFileSync(path.join(home, 'release'), 'utf8');
    const match = /^JAVA_VERSION="([^"]+)"/m.exec(release);
    if (!match?.[1]) return undefined;
    const version = match[1];
    const first = version.split(/[.+-]/)[0] ?? '';
    // Java 8 and older report "1.8.0"; they are too old either way.
    const major = first === '1' ? Number(version.split('.')[1]) : Number(first);
    if (!Number.isFinite(major) || !fs.existsSync(path.join(home, 'bin', 'java'))) return undefined;
    return { home, major, version };
  } catch {
    return undefined;
  }
}

/** The home of the machine's default `java` (the one on PATH, symlinks resolved), if any. */
export function defaultJavaHome(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'java');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      // <home>/bin/java, behind /usr/bin/java -> /etc/alternatives/java -> ...
      return path.dirname(path.dirname(fs.realpathSync(candidate)));
    } catch {
      /* not here */
    }
  }
  return undefined;
}

/**
 * Finds a JDK >= 17: JAVA_HOME first when it is new enough, then the machine's default `java`,
 * else the newest JDK under /usr/lib/jvm. Throws an error that names what was looked at and what
 * to install.
 */
export function findJdk(
  env: NodeJS.ProcessEnv = process.env,
  searchRoots: string[] = ['/usr/lib/jvm'],
  minMajor = MIN_JAVA_MAJOR,
  defaultHome: string | undefined = defaultJavaHome(env),
): Jdk {
  const seen: string[] = [];
  if (env.JAVA_HOME) {
    const jdk = readJdk(env.JAVA_HOME);
    if (jdk && jdk.major >= minMajor) return jdk;
    seen.push(`JAVA_HOME=${env.JAVA_HOME} (${jdk ? `Java ${jdk.major}` : 'not a JDK'})`);
  }
  if (defaultHome) {
    const jdk = readJdk(defaultHome) ?? readJdkByRunning(defaultHome);
    if (jdk && jdk.major >= minMajor) return jdk;
    seen.push(`java on PATH (${defaultHome}${jdk ? `, Java ${jdk.major}` : ''})`);
  }
  const candidates: Jdk[] = [];
  for (const root of searchRoots) {
    let entries: string[] = [];
    try {
      entries = fs.readdirSync(root);
    } catch {
      seen.push(`${root} (missing)`);
      continue;
    }
    for (const entry of entries) {
      const jdk = readJdk(path.join(root, entry));
      if (jdk) {
        candidates.push(jdk);
        seen.push(`${jdk.home} (Java ${jdk.major})`);
      }
    }
  }
  const best = candidates
    .filter((j) => j.major >= minMajor)
    .sort((a, b) => b.major - a.major || a.home.localeCompare(b.home))[0];
  if (best) return best;
  throw new Error(
    `No JDK >= ${minMajor} found for the process engine. Looked at: ${seen.join(', ') || 'nothing'}. ` +
      `Install one (e.g. apt-get install openjdk-17-jdk-headless) or set JAVA_HOME to it.`,
  );
}

/** A JRE without a `release` file (some distributions): ask `java -version` (it prints to stderr). */
function readJdkByRunning(home: string): Jdk | undefined {
  const java = path.join(home, 'bin', 'java');
  if (!fs.existsSync(java)) return undefined;
  const r = spawnSync(java, ['-version'], { encoding: 'utf8', timeout: 10_000 });
  return parseJavaVersionOutput(home, `${r.stdout ?? ''}${r.stderr ?? ''}`);
}

function parseJavaVersionOutput(home: string, out: string): Jdk | undefined {
  const match = /version "([^"]+)"/.exec(out);
  if (!match?.[1]) return undefined;
  const version = match[1];
  const first = version.split(/[.+-]/)[0] ?? '';
  const major = first === '1' ? Number(version.split('.')[1]) : Number(first);
  return Number.isFinite(major) ? { home, major, version } : undefined;
}
