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

describe('administrator screen: accounts', () => {
  it('given an administrator, when creating a reviewer (the list in Azerbaijani and English) and later deactivating it, then the reviewer can work and then is signed out', async () => {
    const admin = await seedAccount(t.stack.db.pool, { id: 'e2e-admin', roles: ['administrator'] });
    const adminPage = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(adminPage, admin);
    await adminPage.getByRole('heading', { name: 'İstifadəçilər' }).waitFor();

    // create the reviewer with the keyboard-reachable form
    const form = adminPage.getByRole('form', { name: 'Yeni hesab' });
    await form.getByLabel('İstifadəçi adı').fill('e2e-reviewer');
    await form.getByLabel('Ad, soyad').fill('Leyla Həsənova');
    await form.getByRole('checkbox', { name: 'baxan əməkdaş' }).check();
    // bodies from the managed list, by name
    await form
      .getByRole('group', { name: 'Qurumlar' })
      .getByRole('checkbox', { name: 'Mənzil İnşaatı Dövlət Agentliyi (MİDA)' })
      .check();
    await form.getByLabel(/İlkin şifrə/).fill('leyla-password-1');
    await form.getByRole('button', { name: 'Hesab yarat' }).click();
    const row = adminPage.locator('tr[data-account="e2e-reviewer"]');
    await expect(row.textContent()).resolves.toContain('Leyla Həsənova');
    await expect(row.textContent()).resolves.toContain('Mənzil İnşaatı Dövlət Agentliyi (MİDA)');
    expect(await axeViolations(adminPage)).toEqual([]);
    await screenshot(adminPage, 'admin-accounts');
    // the same list in English: role, body and state in words
    await adminPage.getByRole('button', { name: 'EN', exact: true }).click();
    await adminPage.getByRole('heading', { name: 'Users' }).waitFor();
    const inEnglish = await row.innerText();
    expect(inEnglish).toContain('reviewer');
    expect(inEnglish).toContain('State Housing Construction Agency (MIDA)');
    await row.getByRole('cell', { name: 'active', exact: true }).waitFor();
    await adminPage.getByRole('form', { name: 'New account' }).waitFor();
    await adminPage.getByRole('button', { name: 'AZ', exact: true }).click();
    await adminPage.getByRole('heading', { name: 'İstifadəçilər' }).waitFor();

    // the reviewer signs in with it and sees the inbox
    const reviewerPage = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(reviewerPage, { id: 'e2e-reviewer', password: 'leyla-password-1' });
    await reviewerPage
      .getByRole('navigation', { name: 'Əsas menyu' })
      .getByRole('link', { name: 'İşlər' })
      .waitFor();

    // the administrator deactivates the account: the reviewer's next request shows sign-in
    await row.getByRole('button', { name: 'Deaktiv et: e2e-reviewer' }).click();
    await row.getByRole('cell', { name: 'deaktiv', exact: true }).waitFor();
    await reviewerPage.reload();
    await reviewerPage.getByRole('heading', { name: 'Daxil olun' }).waitFor();
    await expect(reviewerPage.getByRole('link', { name: 'İşlər' }).count()).resolves.toBe(0);
  });

  it('given an administrator, when creating an account with a one-time invitation link, then the person sets a password with it once and signs in', async () => {
    const admin = await seedAccount(t.stack.db.pool, {
      id: 'e2e-admin-3',
      roles: ['administrator'],
    });
    const adminPage = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(adminPage, admin);
    const form = adminPage.getByRole('form', { name: 'Yeni hesab' });
    await form.getByLabel('İstifadəçi adı').fill('e2e-invited');
    await form.getByLabel('Ad, soyad').fill('Rəşad Quliyev');
    await form.getByRole('checkbox', { name: 'operator' }).check();
    await form.getByLabel(/Birdəfəlik dəvət linki yarat/).check();
    await expect(form.getByLabel(/İlkin şifrə/).count()).resolves.toBe(0);
    await form.getByRole('button', { name: 'Hesab yarat' }).click();
    const link = await form.getByLabel('e2e-invited üçün dəvət linki').inputValue();
    expect(link).toMatch(/\/invitation#[A-Za-z0-9_-]{43}$/);

    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Şifrənizi təyin edin' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel(/^Yeni şifrə/).fill('rashad-password-1');
    await page.getByLabel('Şifrəni təkrarlayın').fill('rashad-password-1');
    await page.getByRole('button', { name: 'Şifrəni təyin et' }).click();
    await page.getByRole('status').getByText('Şifrə təyin edildi.').waitFor();
    await signIn(page, { id: 'e2e-invited', password: 'rashad-password-1' });

    // the link works once
    const again = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await again.goto(link);
    await again.getByLabel(/^Yeni şifrə/).fill('another-password-2');
    await again.getByLabel('Şifrəni təkrarlayın').fill('another-password-2');
    await again.getByRole('button', { name: 'Şifrəni təyin et' }).click();
    await again.getByText('unknown, already used or expired: ask for a new invitation').waitFor();
  });

  it('given an administrator, when issuing a service client, then its token is shown once and works', async () => {
    const admin = await seedAccount(t.stack.db.pool, {
      id: 'e2e-admin-2',
      roles: ['administrator'],
    });
    const page = await (await newContext(browser, t.stack.apiUrl, 'en-GB')).newPage();
    await signIn(page, admin);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    const form = page.getByRole('form', { name: 'Service clients (portal, registries)' });
    await form.getByLabel('Client name').fill('e2e-portal');
    await form.getByRole('button', { name: 'Issue token' }).click();
    const token = await form.getByLabel('Token for e2e-portal').inputValue();
    expect(token.length).toBeGreaterThanOrEqual(43);
    const me = await t.api('/api/v1/session', { headers: { authorization: `Bearer ${token}` } });
    expect(me.body).toMatchObject({ id: 'e2e-portal', roles: ['portal'] });
    await page.reload();
    await form.waitFor();
    await expect(form.getByLabel('Token for e2e-portal').count()).resolves.toBe(0);
  });
});
