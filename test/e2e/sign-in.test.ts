import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  newContext,
  screenshot,
  seedAccount,
  signIn,
} from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
let browser: Browser;

// generous: the stack starts an engine, and the machine may be shared
beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('sign-in screen', () => {
  it('given a wrong password, when signing in, then the screen says so in Azerbaijani and stays signed out', async () => {
    await seedAccount(t.stack.db.pool, { id: 'e2e-wrong', roles: ['operator'] });
    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(page, { id: 'e2e-wrong', password: 'not-the-password' }).catch(() => undefined);
    await expect(page.getByRole('alert').textContent()).resolves.toContain(
      'İstifadəçi adı və ya şifrə yanlışdır',
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in-failed');
  });

  it('given an operator, when signing in and switching to English, then the menu shows their screens in English', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'e2e-operator', roles: ['operator'] });
    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(page, who);
    const nav = page.getByRole('navigation', { name: 'Əsas menyu' });
    await expect(nav.getByRole('link').allTextContents()).resolves.toEqual([
      'Proseslər',
      'İnsidentlər',
      'Müddətlər',
      'Qərarların təqdimi',
      'Təqvim',
    ]);
    await page.getByRole('button', { name: 'EN' }).click();
    await expect(
      page.getByRole('navigation', { name: 'Main menu' }).getByRole('link').allTextContents(),
    ).resolves.toEqual(['Processes', 'Incidents', 'Deadlines', 'Deliveries', 'Calendar']);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  });

  it('given the keyboard only, when tabbing from the top, then the skip link comes first and is visible', async () => {
    const who = await seedAccount(t.stack.db.pool, { id: 'e2e-keyboard', roles: ['operator'] });
    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(page, who);
    await page.goto('/operator/instances');
    await page.getByRole('button', { name: 'Çıxış' }).waitFor(); // the screen is ready
    // focus at the top of the document, as after loading the page
    await page.evaluate(() => (globalThis as any).document.activeElement?.blur());
    await page.keyboard.press('Tab');
    // the document's active element (a headless page may not match :focus without window focus)
    const focused = await page.evaluate(() => {
      // runs in the browser
      const el = (globalThis as any).document.activeElement;
      const r = el.getBoundingClientRect();
      return { text: el.textContent, left: r.left, top: r.top, width: r.width };
    });
    expect(focused.text).toBe('Əsas məzmuna keç');
    // moved on screen when focused (hidden off-screen otherwise)
    expect(focused.left >= 0 && focused.top >= 0 && focused.width > 0).toBe(true);
  });
});
