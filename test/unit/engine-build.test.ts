import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import {
  ENGINE_SOURCE_DIR,
  engineSourceHash,
  jdbcFromDatabaseUrl,
} from '../../src/engine/runtime.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A copy of engine/ without Maven's output, as another clone would have it. */
function copyOfSources(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-src-'));
  dirs.push(dir);
  fs.cpSync(ENGINE_SOURCE_DIR, dir, {
    recursive: true,
    filter: (src) => path.relative(ENGINE_SOURCE_DIR, src).split(path.sep)[0] !== 'target',
  });
  return dir;
}

describe('engine build cache key', () => {
  it('given the same sources elsewhere (another clone), then the key is the same', () => {
    expect(engineSourceHash(copyOfSources())).toBe(engineSourceHash());
    expect(engineSourceHash()).toMatch(/^[0-9a-f]{16}$/);
  });

  it('given build output in target/, then the key does not change', () => {
    const dir = copyOfSources();
    const before = engineSourceHash(dir);
    fs.mkdirSync(path.join(dir, 'target', 'lib'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'target', 'app.jar'), 'x');
    fs.writeFileSync(path.join(dir, 'target', 'lib', 'a.jar'), 'y');
    expect(engineSourceHash(dir)).toBe(before);
  });

  it('given a change of the pom, a Java source or a new resource, then the key changes', () => {
    const dir = copyOfSources();
    const keys = new Set([engineSourceHash(dir)]);
    fs.appendFileSync(path.join(dir, 'pom.xml'), '\n');
    keys.add(engineSourceHash(dir));
    const java = path.join(
      dir,
      'src',
      'main',
      'java',
      'az',
      'housing',
      'engine',
      'EngineApplication.java',
    );
    fs.appendFileSync(java, '\n// changed\n');
    keys.add(engineSourceHash(dir));
    fs.mkdirSync(path.join(dir, 'src', 'main', 'resources'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'main', 'resources', 'new.txt'), '');
    keys.add(engineSourceHash(dir));
    expect(keys.size).toBe(4);
  });

  it('given a renamed file with the same content, then the key changes (paths are hashed)', () => {
    const dir = copyOfSources();
    fs.mkdirSync(path.join(dir, 'src', 'main', 'resources'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'main', 'resources', 'a.txt'), 'same');
    const before = engineSourceHash(dir);
    fs.renameSync(
      path.join(dir, 'src', 'main', 'resources', 'a.txt'),
      path.join(dir, 'src', 'main', 'resources', 'b.txt'),
    );
    expect(engineSourceHash(dir)).not.toBe(before);
  });
});

describe('JDBC URL from the database URL', () => {
  it('given user@host:port/db, then the JDBC URL and the user apart, no password', () => {
    expect(jdbcFromDatabaseUrl('postgresql://postgres@127.0.0.1:5432/az_housing')).toEqual({
      jdbcUrl: 'jdbc:postgresql://127.0.0.1:5432/az_housing',
      user: 'postgres',
    });
  });

  it('given a percent-encoded password, then it is decoded and kept out of the URL', () => {
    const c = jdbcFromDatabaseUrl('postgres://app:p%40ss%3Aw0rd@db.internal/housing');
    expect(c).toEqual({
      jdbcUrl: 'jdbc:postgresql://db.internal:5432/housing',
      user: 'app',
      password: 'p@ss:w0rd',
    });
    expect(c.jdbcUrl).not.toContain('ss');
  });

  it('given sslmode and unknown libpq parameters, then sslmode passes and the rest is dropped', () => {
    expect(
      jdbcFromDatabaseUrl('postgresql://u@h:6543/d?sslmode=require&connect_timeout=5').jdbcUrl,
    ).toBe('jdbc:postgresql://h:6543/d?sslmode=require');
  });

  it('given an IPv6 host, then it keeps its brackets', () => {
    expect(jdbcFromDatabaseUrl('postgresql://u@[::1]:5432/d').jdbcUrl).toBe(
      'jdbc:postgresql://[::1]:5432/d',
    );
  });

  it('given a Unix socket, no database or another scheme, then it is refused', () => {
    expect(() => jdbcFromDatabaseUrl('postgresql://u@localhost/d?host=/run/postgresql')).toThrow(
      /socket/,
    );
    expect(() => jdbcFromDatabaseUrl('postgresql://u@h:5432/')).toThrow(/no database/);
    expect(() => jdbcFromDatabaseUrl('mysql://u@h/d')).toThrow(/postgresql/);
    expect(() => jdbcFromDatabaseUrl('not a url')).toThrow(/not a URL/);
  });
});
