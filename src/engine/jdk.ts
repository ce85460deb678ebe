import fs from 'node:fs';
import path from 'node:path';

/** Camunda 8 needs Java 21 or newer; the machine's default `java` may be older. */
export const MIN_JAVA_MAJOR = 21;

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

/**
 * Finds a JDK >= 21: JAVA_HOME first when it is new enough, else the newest JDK under
 * /usr/lib/jvm. Throws an error that names what was looked at and what to install.
 */
export function findJdk(
  env: NodeJS.ProcessEnv = process.env,
  searchRoots: string[] = ['/usr/lib/jvm'],
  minMajor = MIN_JAVA_MAJOR,
): Jdk {
  const seen: string[] = [];
  if (env.JAVA_HOME) {
    const jdk = readJdk(env.JAVA_HOME);
    if (jdk && jdk.major >= minMajor) return jdk;
    seen.push(`JAVA_HOME=${env.JAVA_HOME} (${jdk ? `Java ${jdk.major}` : 'not a JDK'})`);
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
    `No JDK >= ${minMajor} found for Camunda. Looked at: ${seen.join(', ') || 'nothing'}. ` +
      `Install one (e.g. a Temurin JDK ${minMajor}+ under /usr/lib/jvm) or set JAVA_HOME to it.`,
  );
}
