/**
 * FIN (fərdi identifikasiya nömrəsi): the 7-character personal identification code printed on
 * the identity card, Latin capital letters and digits.
 */
const FIN_PATTERN = /^[0-9A-Z]{7}$/;

export function normalizeFin(raw: string): string {
  return raw.trim().toUpperCase();
}

export function isValidFin(raw: string): boolean {
  return FIN_PATTERN.test(normalizeFin(raw));
}
