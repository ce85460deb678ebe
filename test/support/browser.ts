import fs from 'node:fs';
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
  a: { id: string; roles: StaffRole[]; bodies?: string[]; password?: string },
): Promise<{ id: string; password: string }> {
  const password = a.password ?? `${a.id}-password-1`;
  await createAccount(pool, {
    id: a.id,
    displayName: a.id,
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
