import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { completeForm } from '../support/applications.js';
import { logFiles, scanLogs } from '../support/log-scan.js';

// The scanner of test/integration/log-scan.test.ts: it must find what a leak would look like
// (the synthetic citizens' formats) and point to it by file and line only.

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'az-log-scan-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function scanOf(lines: string[]) {
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.log`);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return scanLogs([file], dir);
}

const clean = JSON.stringify({
  level: 30,
  time: '2026-11-30T08:00:00.000Z',
  service: 'az-housing',
  req: {
    id: 1,
    method: 'POST',
    path: '/api/v1/applications/6b7c1f7e-1d2a-4c1b-9d7e-0a1b2c3d4e5f/submit',
  },
  res: { statusCode: 200 },
  msg: 'request completed',
});

describe('log scanner', () => {
  it('given a request log with ids and paths only, then nothing is found', () => {
    expect(
      scanOf([
        clean,
        '2026-11-30 08:00:00.000  INFO 123 --- [main] o.o.b.engine: ENGINE-00001 Process Engine default created.',
      ]),
    ).toEqual([]);
  });

  it.each([
    ['FIN', JSON.stringify({ msg: 'check failed', applicant: 'SY00042' })],
    ['FIN', 'identity check for 5HZ4MKT failed'],
    ['ID card number', 'card AZE12345678 expired'],
    ['phone number', JSON.stringify({ mobilePhone: completeForm().mobilePhone })],
    ['phone number', 'sms to +994501234567 queued'],
    ['e-mail address', `mail to ${String(completeForm().email)}`],
    ['address', JSON.stringify({ where: String(completeForm().registrationAddress) })],
  ])(
    'given a line with a %s, then it is found by file and line, without the content',
    (kind, line) => {
      const findings = scanOf([clean, line]);
      expect(findings).toHaveLength(1);
      expect(findings[0]!.pattern).toBe(kind);
      expect(findings[0]!.location).toMatch(/^t-\w+\.log:2$/);
      expect(JSON.stringify(findings)).not.toContain(line);
    },
  );

  it("given the notice sender address and a sent notice's Message-ID, then neither is taken for a person", () => {
    expect(
      scanOf([
        'sending from no-reply@mida.gov.az',
        '{"providerId":"<notice.6fd6296868ba942be05bc7d0945ebf92abb70636@mida.gov.az>","msg":"notice sent"}',
      ]),
    ).toEqual([]);
  });

  it('given nested folders, then every .log file is listed and a PostgreSQL cluster folder is skipped', () => {
    fs.mkdirSync(path.join(dir, 'a', 'logs'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'a', 'postgres'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', 'logs', 'engine.log'), 'x\n');
    fs.writeFileSync(path.join(dir, 'a', 'postgres', 'x.log'), 'x\n');
    expect(logFiles(path.join(dir, 'a')).map((f) => path.relative(dir, f))).toEqual([
      path.join('a', 'logs', 'engine.log'),
    ]);
  });
});
