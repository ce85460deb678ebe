import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createAccount } from '../../src/auth/accounts.js';
import type { StaffRole } from '../../src/auth/principal.js';
import type { Pool } from '../../src/db/pool.js';
import { projectRoot } from '../../src/paths.js';

/** Where the browser tests save a screenshot of every screen they visit. */
export const SCREENSHOT_DIR = path.join(projectRoot, 'var', 'screenshots');

/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags keep it off
 * the network this machine cannot reach and let it run as root in a sandbox-less container.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export async function newContext(
  browser: Browser,
  baseURL: string,
  locale = 'az-AZ',
): Promise<BrowserContext> {
  return browser.newContext({ baseURL, locale, viewport: { width: 1400, height: 900 } });
}

/** A staff account with a password, for signing in through the screen. */
export async function seedAccount(
  pool: Pool,
  a: { id: string; roles: StaffRole[]; bodies?: string[]; password?: string; displayName?: string },
): Promise<{ id: string; password: string }> {
  const password = a.password ?? `${a.id}-password-1`;
  await createAccount(pool, {
    id: a.id,
    displayName: a.displayName ?? a.id,
    roles: a.roles,
    bodies: a.bodies ?? [],
    password,
  });
  return { id: a.id, password };
}

export async function signIn(page: Page, who: { id: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/İstifadəçi adı|User name/).fill(who.id);
  await page.getByLabel(/Şifrə|Password/).fill(who.password);
  await page.getByRole('button', { name: /Daxil ol|Sign in/ }).click();
  await page.getByRole('button', { name: /Çıxış|Sign out/ }).waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const axeSource: string = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now
 * (WCAG 2.x A/AA rules). axe is evaluated through the DevTools protocol, not as an inline
 * script, so the screens' CSP (no 'unsafe-inline') does not stop it.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (!loaded) await page.evaluate(axeSource);
  const violations = (await page.evaluate(`window.axe
    .run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    })
    .then((r) => r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
