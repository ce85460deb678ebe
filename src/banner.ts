import path from 'node:path';

/** What `npm start` prints when everything is up: where to go, and how to sign in the first time. */
export function readyBanner(o: {
  seconds: string;
  apiUrl: string;
  dataDir: string;
  adminPasswordFromEnv: boolean;
  engine: { url: string; webUrl: string; version: string; user: string };
  enginePasswordFromEnv: boolean;
  database: string;
}): string {
  const firstPassword = o.adminPasswordFromEnv
    ? 'the value of ADMIN_PASSWORD'
    : `in ${path.resolve(o.dataDir, 'initial-admin-password')} (written on the first start)`;
  return [
    '',
    `Ready in ${o.seconds}s.`,
    `  staff screens  ${o.apiUrl}/`,
    `                 sign in as "admin"; first password: ${firstPassword}`,
    `  API            ${o.apiUrl}/api/openapi.json`,
    `  health         ${o.apiUrl}/healthz  ${o.apiUrl}/readyz`,
    `  engine REST    ${o.engine.url} (Operaton ${o.engine.version}, user ${o.engine.user})`,
    `  Cockpit        ${o.engine.webUrl}/operaton/app/cockpit/ (same user; password ${o.enginePasswordFromEnv ? 'ENGINE_PASSWORD' : `in ${path.resolve(o.dataDir, 'engine-password')}`})`,
    `  database       ${o.database}`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
}
