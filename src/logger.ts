import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Keys whose values are personal data (FIN, ID numbers, phones, addresses, e-mails, names).
 * They are censored wherever they appear, up to three levels deep, so that a careless
 * `log.info({ application })` cannot leak them.
 */
export const PERSONAL_DATA_KEYS = [
  'fin',
  'spouseFin',
  'idNumber',
  'idSeries',
  'idCard',
  'phone',
  'mobilePhone',
  'cityPhone',
  'phones',
  'email',
  'address',
  'registrationAddress',
  'actualAddress',
  'fullName',
  'firstName',
  'lastName',
  'patronymic',
  'authorization',
  'cookie',
  'password',
];

function redactPaths(): string[] {
  const paths: string[] = [];
  for (const key of PERSONAL_DATA_KEYS) {
    paths.push(key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`);
  }
  paths.push('req.headers.authorization', 'req.headers.cookie');
  return paths;
}

export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'az-housing' },
    redact: { paths: redactPaths(), censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}

export type { Logger };
