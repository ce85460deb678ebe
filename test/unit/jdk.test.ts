import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { findJdk } from '../../src/engine/jdk.js';

let root: string;
function fakeJdk(name: string, version: string): string {
  const home = path.join(root, name);
  fs.mkdirSync(path.join(home, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(home, 'bin', 'java'), '');
  fs.writeFileSync(path.join(home, 'release'), `IMPLEMENTOR="Test"\nJAVA_VERSION="${version}"\n`);
  return home;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'jdk-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('finding a JDK for Camunda', () => {
  it('given JAVA_HOME is Java 21, then it is used', () => {
    const home = fakeJdk('jdk21', '21.0.5');
    fakeJdk('jdk25', '25.0.1');
    expect(findJdk({ JAVA_HOME: home }, [root]).major).toBe(21);
  });

  it('given JAVA_HOME is Java 17, then the newest JDK >= 21 under the search root is used', () => {
    const old = fakeJdk('java-17', '17.0.15');
    fakeJdk('temurin-21', '21.0.5');
    fakeJdk('temurin-25', '25.0.1');
    const jdk = findJdk({ JAVA_HOME: old }, [root]);
    expect(jdk.major).toBe(25);
    expect(jdk.home).toBe(path.join(root, 'temurin-25'));
  });

  it('given only Java 17 and 1.8, then the error names what was found and what to install', () => {
    fakeJdk('java-17', '17.0.15');
    fakeJdk('java-8', '1.8.0_402');
    expect(() => findJdk({}, [root])).toThrow(/No JDK >= 21 found.*Java 17.*Java 8.*JAVA_HOME/s);
  });

  it('given a missing search root, then the error says so', () => {
    expect(() => findJdk({}, [path.join(root, 'nope')])).toThrow(/nope \(missing\)/);
  });
});
