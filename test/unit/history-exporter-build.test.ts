import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { exporterSourceHash, HISTORY_EXPORTER_DIR } from '../../src/engine/history-exporter.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function copyOfSources(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'exporter-src-'));
  dirs.push(dir);
  fs.cpSync(path.join(HISTORY_EXPORTER_DIR, 'pom.xml'), path.join(dir, 'pom.xml'));
  fs.cpSync(path.join(HISTORY_EXPORTER_DIR, 'src'), path.join(dir, 'src'), { recursive: true });
  return dir;
}

describe('history exporter jar cache key', () => {
  it('given the same sources elsewhere (another clone), then the key is the same', () => {
    expect(exporterSourceHash(copyOfSources())).toBe(exporterSourceHash());
    expect(exporterSourceHash()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('given a change of a source file or the pom, then the key changes; build output is not hashed', () => {
    const dir = copyOfSources();
    const before = exporterSourceHash(dir);
    fs.mkdirSync(path.join(dir, 'target'));
    fs.writeFileSync(path.join(dir, 'target', 'history-exporter.jar'), 'x');
    expect(exporterSourceHash(dir)).toBe(before);
    fs.appendFileSync(path.join(dir, 'pom.xml'), '\n');
    expect(exporterSourceHash(dir)).not.toBe(before);
  });
});
