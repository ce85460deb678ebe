import { describe, expect, it } from '@jest/globals';
import { isValidFin, normalizeFin } from '../../src/domain/fin.js';

describe('FIN', () => {
  it('given seven Latin capitals and digits, then it is valid', () => {
    expect(isValidFin('5ZXK2PQ')).toBe(true);
  });
  it('given lower case with spaces around, when normalised, then it is upper case and valid', () => {
    expect(normalizeFin(' 5zxk2pq ')).toBe('5ZXK2PQ');
    expect(isValidFin(' 5zxk2pq ')).toBe(true);
  });
  it.each(['5ZXK2P', '5ZXK2PQ1', '5ZX-2PQ', 'ƏZXK2PQ', ''])(
    'given %p, then it is invalid',
    (fin) => {
      expect(isValidFin(fin)).toBe(false);
    },
  );
});
