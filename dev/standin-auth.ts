import { createHash, timingSafeEqual } from 'node:crypto';

/** Constant-time check of a presented bearer token (hashes of equal length). */
export function bearerIs(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  const h = (v: string) => createHash('sha256').update(v, 'utf8').digest();
  return !!m && timingSafeEqual(h(m[1]!), h(token));
}
