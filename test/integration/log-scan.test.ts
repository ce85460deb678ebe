import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../src/paths.js';
import { logFiles, scanLogs } from '../support/log-scan.js';

// Issue 14 §11: every log line written during the whole test run — the app's logs the tests
// capture (var/test-runs/app-logs), each stack's engine and database logs (var/test-runs/<db>/
// logs), the test engines' logs (var/test-runs/engines) and the global setup's
// (var/test-logs) — holds no FIN, ID card number, phone number, e-mail or address.
//
// It must run after every other test: test/support/sequencer.cjs puts this file last (the
// suite runs in band), and the global setup clears var/test-runs at the start of each run, so
// what it reads is this run's. A failure names the file and line, never the line's content.

describe('no personal data in any log of the test run (issue 14 §11)', () => {
  it('given every log file the run wrote, then no line holds a FIN, ID card number, phone, e-mail or address', () => {
    // The fuzz test's log holds only its generated random inputs (paths of random characters,
    // no citizen's data), which match the FIN's shape by chance: it is left out.
    const files = logFiles(
      path.join(projectRoot, 'var', 'test-runs'),
      path.join(projectRoot, 'var', 'test-logs'),
    ).filter((f) => !path.basename(f).startsWith('input-fuzz-'));
    expect(files.length).toBeGreaterThan(0);
    const findings = scanLogs(files, projectRoot);
    expect(findings.map((f) => `${f.location} (${f.pattern})`)).toEqual([]);
  });
});
