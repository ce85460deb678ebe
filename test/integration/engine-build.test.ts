import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import pino from 'pino';
import { engineSourceHash, ensureEngineBuild } from '../../src/engine/runtime.js';

// Two processes (here: two calls) building the engine into the same empty cache at once: both
// get a complete build, exactly one directory is left, and no temporary directory remains.

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-cache-'));
const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
afterAll(() => fs.rmSync(cacheDir, { recursive: true, force: true }));

describe('building the engine into the cache', () => {
  it('given two concurrent builds, then one complete build is kept and both use it', async () => {
    const t0 = Date.now();
    const [a, b] = await Promise.all([
      ensureEngineBuild(cacheDir, log),
      ensureEngineBuild(cacheDir, log),
    ]);
    const coldSeconds = (Date.now() - t0) / 1000;
    expect(a.dir).toBe(path.join(cacheDir, engineSourceHash()));
    expect(b.dir).toBe(a.dir);
    expect([a.built, b.built].sort()).toEqual([false, true]);
    expect(fs.readdirSync(cacheDir)).toEqual([a.hash]);
    expect(fs.existsSync(path.join(a.dir, 'app.jar'))).toBe(true);
    const jars = fs.readdirSync(path.join(a.dir, 'lib'));
    expect(jars).toEqual(
      expect.arrayContaining(['operaton-engine-1.0.3.jar', 'postgresql-42.7.7.jar']),
    );
    // test libraries of Operaton's modules are excluded from the runtime class path
    expect(jars.filter((j) => /junit|assertj/.test(j))).toEqual([]);
    // CVE-2025-48924 (commons-lang3 before 3.18.0): pinned in engine/pom.xml over Operaton's 3.17.0
    const lang3 = jars.filter((j) => j.startsWith('commons-lang3-'));
    expect(lang3).toHaveLength(1);
    const [major, minor] = lang3[0]!.slice('commons-lang3-'.length).split('.').map(Number);
    expect(major! * 1000 + minor!).toBeGreaterThanOrEqual(3018);

    const t1 = Date.now();
    const again = await ensureEngineBuild(cacheDir, log);
    expect(again).toEqual({ dir: a.dir, hash: a.hash, built: false });
    log.warn({ coldSeconds, warmSeconds: (Date.now() - t1) / 1000 }, 'engine build figures');
  }, 600_000);
});
