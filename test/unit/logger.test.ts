import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, log: createLogger('info', stream) };
}

describe('logs never carry personal data', () => {
  it('given an application object with FIN, phone, e-mail and address, when logged, then those values are redacted', () => {
    const { lines, log } = capture();
    log.info(
      {
        application: {
          fin: '5ZXK2PQ',
          mobilePhone: '+994501234567',
          email: 'a@b.az',
          registrationAddress: 'Bakı, Nizami 5',
          category: 3,
        },
      },
      'x',
    );
    const out = lines.join('');
    expect(out).not.toMatch(/5ZXK2PQ|994501234567|a@b\.az|Nizami/);
    expect(out).toContain('"category":3');
  });

  it('given nested personal data three levels deep, when logged, then it is redacted', () => {
    const { lines, log } = capture();
    log.info({ a: { b: { spouseFin: 'BBBBBB2', idNumber: 'AA1234567' } } }, 'x');
    expect(lines.join('')).not.toMatch(/BBBBBB2|AA1234567/);
  });
});
