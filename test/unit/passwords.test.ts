import { describe, expect, it } from '@jest/globals';
import { hashPassword, passwordProblem, verifyPassword } from '../../src/auth/passwords.js';

describe('password hashing (scrypt)', () => {
  it('given a password, when hashed, then the stored form names scrypt and its parameters and not the password', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain('correct horse battery');
  });

  it('given the same password twice, when hashed, then the salts differ', async () => {
    expect(await hashPassword('same password 1')).not.toBe(await hashPassword('same password 1'));
  });

  it('given the right password, when verified, then true', async () => {
    expect(await verifyPassword('right password 1', await hashPassword('right password 1'))).toBe(
      true,
    );
  });

  it('given a wrong password, when verified, then false', async () => {
    expect(await verifyPassword('wrong password 1', await hashPassword('right password 1'))).toBe(
      false,
    );
  });

  it('given the same text in another Unicode form, when verified, then it matches (NFKC)', async () => {
    const composed = 'Şəhər şifrəsi 1'.normalize('NFC');
    expect(await verifyPassword(composed.normalize('NFD'), await hashPassword(composed))).toBe(
      true,
    );
  });

  it('given a stored value that is not an scrypt hash, when verified, then false', async () => {
    for (const stored of ['', 'plain-text', 'bcrypt$x$y$z$a$b', 'scrypt$1$2$3'])
      expect(await verifyPassword('anything at all', stored)).toBe(false);
  });

  it('given new passwords, when checked, then short and overlong ones are refused', () => {
    expect(passwordProblem('123456789')).toBe('at least 10 characters');
    expect(passwordProblem('1234567890')).toBeUndefined();
    expect(passwordProblem('x'.repeat(201))).toBe('at most 200 characters');
  });
});
