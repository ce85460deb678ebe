import fs from 'node:fs';
import path from 'node:path';

/**
 * What personal data looks like in this project (the formats of dev/synthetic-citizens.ts and
 * of the application form, src/cases/application-form.ts). A log line matching one of these
 * carries personal data (README: "Personal data never reaches the logs").
 */
export const PII_PATTERNS: { name: string; re: RegExp }[] = [
  // FIN: 7 characters [0-9A-Z] with letters and digits (synthetic ones start with "SY")
  {
    name: 'FIN',
    re: /(?<![0-9A-Za-z_.$/-])(?=[0-9A-Z]{7}(?![0-9A-Za-z_]))(?=[A-Z]*[0-9])(?=[0-9]*[A-Z])[0-9A-Z]{7}(?![0-9A-Za-z_])/,
  },
  // phones: +994 numbers, and the form's { operatorCode, number }
  { name: 'phone number', re: /\+?994[ -]?\(?\d{2}\)?[ -]?\d{3}[ -]?\d{2}[ -]?\d{2}\b/ },
  { name: 'phone number', re: /"operatorCode"\s*:\s*"\d{2,3}"/ },
  // identity card: series AZE / AA / MYI / DYI and its number
  { name: 'ID card number', re: /\b(?:AZE|AA|MYI|DYI)[ -]?\d{7,8}\b/ },
  // the synthetic registry's identity numbers, as a JSON value
  { name: 'ID card number', re: /"(?:idNumber|number|idCardNumber)"\s*:\s*"\d{5,9}"/ },
  // e-mail addresses (system senders are not personal data: see SYSTEM_ADDRESSES)
  { name: 'e-mail address', re: /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/ },
  // addresses as the synthetic citizens and the forms write them (street, flat, district)
  {
    name: 'address',
    re: /\b(?:küç\.|küçəsi|prospekti|pr\.\s*\d|mənzil\s*\d|m\.\s*\d|\d+\s*-?\s*cü\s+mkr|Sınaq\s+ş\.|Uydurma\s+(?:küç|pr))/i,
  },
];

/**
 * Addresses of systems, not people: the notice sender, the engine's service profile, and the
 * Message-IDs of sent notices (notice.<hash>@domain).
 */
const SYSTEM_ADDRESSES =
  /^(?:no-reply|noreply|postmaster|engine|azhousing|housingtest|killtest|notice\.[0-9a-f]{16,})@/i;

/** Words of seven capitals and digits that are not FINs (log codes of the engine and the JVM). */
const NOT_A_FIN =
  /^(?:SHA256|SHA384|SHA512|UTF8MB4|X509V3|TLSV1[23]|PKCS12|BASE64|HTTP11|IPV4|IPV6)$/;

export interface Finding {
  /** file:line — never the line itself, which holds the personal data */
  location: string;
  pattern: string;
}

function scanLine(line: string): string | undefined {
  for (const { name, re } of PII_PATTERNS) {
    const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    for (const m of line.matchAll(global)) {
      if (name === 'e-mail address' && SYSTEM_ADDRESSES.test(m[0])) continue;
      if (name === 'FIN' && NOT_A_FIN.test(m[0])) continue;
      return name;
    }
  }
  return undefined;
}

/** Every file under the folders (recursively) whose name looks like a log. */
export function logFiles(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        // a PostgreSQL cluster folder holds data, not logs
        if (e.name !== 'postgres') walk(p);
      } else if (/\.log(\.\d+)?$|\.out$/.test(e.name)) out.push(p);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/** The personal data found, by location and kind. */
export function scanLogs(files: string[], root: string): Finding[] {
  const findings: Finding[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const pattern = scanLine(line);
      if (pattern) findings.push({ location: `${path.relative(root, file)}:${i + 1}`, pattern });
    });
  }
  return findings;
}
