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

describe('finding a JDK for the process engine', () => {
  it('given JAVA_HOME is Java 17, then it is used', () => {
    const home = fakeJdk('jdk17', '17.0.15');
    fakeJdk('jdk25', '25.0.1');
    expect(findJdk({ JAVA_HOME: home }, [root], 17, undefined).major).toBe(17);
  });

  it('given no JAVA_HOME, then the default java is preferred over newer JDKs under the search root', () => {
    const dflt = fakeJdk('java-17', '17.0.15');
    fakeJdk('temurin-25', '25.0.1');
    expect(findJdk({}, [root], 17, dflt).home).toBe(dflt);
  });

  it('given JAVA_HOME and the default java are Java 11, then the newest JDK >= 17 under the search root', () => {
    const old = fakeJdk('java-11', '11.0.2');
    fakeJdk('temurin-21', '21.0.5');
    fakeJdk('temurin-25', '25.0.1');
    const jdk = findJdk({ JAVA_HOME: old }, [root], 17, old);
    expect(jdk.major).toBe(25);
    expect(jdk.home).toBe(path.join(root, 'temurin-25'));
  });

  it('given only Java 11 and 1.8, then the error names what was found and what to install', () => {
    fakeJdk('java-11', '11.0.2');
    fakeJdk('java-8', '1.8.0_402');
    expect(() => findJdk({}, [root], 17, undefined)).toThrow(
      /No JDK >= 17 found.*Java 11.*Java 8.*JAVA_HOME/s,
    );
  });

  it('given a missing search root, then the error says so', () => {
    expect(() => findJdk({}, [path.join(root, 'nope')], 17, undefined)).toThrow(/nope \(missing\)/);
  });

  it('on this machine, then a JDK >= 17 is found', () => {
    expect(findJdk().major).toBeGreaterThanOrEqual(17);
  });
});
