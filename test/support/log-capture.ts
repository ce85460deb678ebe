import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { projectRoot } from '../../src/paths.js';

/**
 * Where every log a test run writes is kept for the log scan (test/integration/log-scan.test.ts,
 * run last): the app's logs captured by tests go to `app-logs/`, engines' logs stay in their
 * data folders under it. Cleared by the global setup at the start of each run.
 */
export const TEST_RUNS_DIR = path.join(projectRoot, 'var', 'test-runs');
export const APP_LOG_DIR = path.join(TEST_RUNS_DIR, 'app-logs');

let seq = 0;
/** A file name naming the test file that writes it (for a reader of a failed scan). */
function logFileName(): string {
  const testPath = (
    globalThis as { expect?: { getState?: () => { testPath?: string } } }
  ).expect?.getState?.().testPath;
  const base = testPath ? path.basename(testPath).replace(/\.test\.ts$/, '') : 'support';
  seq += 1;
  return `${base}-${process.pid}-${seq}.log`;
}

/**
 * Collects every log line written to it, so tests can check what reaches the logs, and appends
 * it to a file under var/test-runs/app-logs for the log scan.
 */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  private file: string | undefined;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    const text = chunk.toString('utf8');
    this.lines.push(...text.split('\n').filter(Boolean));
    try {
      if (!this.file) {
        fs.mkdirSync(APP_LOG_DIR, { recursive: true });
        this.file = path.join(APP_LOG_DIR, logFileName());
      }
      fs.appendFileSync(this.file, text.endsWith('\n') ? text : `${text}\n`);
    } catch {
      /* the scan then misses these lines; the test itself goes on */
    }
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}
