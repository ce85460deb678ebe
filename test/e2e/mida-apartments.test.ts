import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser } from 'playwright-core';
import {
  announcementBody,
  freeApartments,
  holder,
  openAnnouncement,
  select,
  selectionRow,
  until,
  wait,
} from '../support/apartments.js';
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
beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('MİDA officer screen: announcements and apartments (003 §5.7, §5.9, §6.5.1)', () => {
  it('003 §5.7-1, §6.5.1, §5.7-2: given a selected apartment with a waiting holder, when an officer cancels the selection on the screen with reasons, then the waiting holder becomes the applicant', async () => {
    const announcementId = await openAnnouncement(t, announcementBody({ apartments: 3 }));
    const [apt] = await freeApartments(t, announcementId);
    const first = await select(t, await holder(t), apt.id);
    const waiting = await wait(t, await holder(t), apt.id);
    await until(t, first.body.selectionId, (s) => !!s.process_instance_key);

    const officer = await seedAccount(t.stack.db.pool, {
      id: 'e2e-mida-officer',
      roles: ['reviewer'],
      bodies: ['mida'],
    });
    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(page, officer);
    await page
      .getByRole('navigation', { name: 'Əsas menyu' })
      .getByRole('link', { name: 'Mənzillər' })
      .click();
    await page.getByRole('heading', { name: 'Mənzillər barədə elanlar' }).waitFor();
    await page
      .locator(`tr[data-announcement="${announcementId}"]`)
      .getByRole('button', { name: 'Mənzillərə bax' })
      .click();
    const row = page.locator(`tr[data-apartment="${apt.building}-${apt.number}"]`);
    await expect(row.locator('td[data-state]').textContent()).resolves.toBe('seçilib; gözləmə: 1');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'mida-apartments');

    // the same screen in English: states and grounds in words
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Apartment announcements' }).waitFor();
    await expect(row.locator('td[data-state]').textContent()).resolves.toBe('selected; waiting: 1');
    await expect(
      row
        .getByRole('form')
        .getByLabel('Ground', { exact: true })
        .locator('option')
        .allTextContents(),
    ).resolves.toEqual(expect.arrayContaining(['Distortion established by a court (6.5.1)']));
    await page.getByRole('button', { name: 'AZ', exact: true }).click();
    await page.getByRole('heading', { name: 'Mənzillər barədə elanlar' }).waitFor();

    // a reason too short is named next to the field, and nothing changes
    const form = row.getByRole('form');
    await form.getByLabel('Əsas', { exact: true }).selectOption('distortion-court');
    await form.getByLabel('Əsaslandırma').fill('qısa');
    await form.getByRole('button', { name: 'Seçimi ləğv et' }).click();
    await form.getByRole('alert').waitFor();
    expect((await selectionRow(t, first.body.selectionId)).state).toBe('active');

    await form
      .getByLabel('Əsaslandırma')
      .fill(
        'Bakı İnzibati Məhkəməsinin qərarı ilə kateqoriya məlumatlarında təhrif müəyyən edilib.',
      );
    await form.getByRole('button', { name: 'Seçimi ləğv et' }).click();
    await page.getByRole('status').getByText('Seçim ləğv edildi (003 §6.5.1)').waitFor();
    await expect(row.locator('td[data-state]').textContent()).resolves.toBe('seçilib');
    const promoted = await until(t, waiting.body.selectionId, (s) => s.position === 0);
    expect(promoted.state).toBe('active');
    expect((await selectionRow(t, first.body.selectionId)).cancel_ground).toBe('distortion-court');
  });

  it('003 §1.1, §1.2.1 (the apartment phase is MİDA’s): given a reviewer of a local executive authority, when signed in, then the menu has no "Mənzillər" link and the MİDA officer API answers 403', async () => {
    const local = await seedAccount(t.stack.db.pool, {
      id: 'e2e-nasimi-reviewer',
      roles: ['reviewer'],
      bodies: ['baku-nasimi'],
    });
    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(page, local);
    const menu = page.getByRole('navigation', { name: 'Əsas menyu' });
    await menu.getByRole('link', { name: 'İşlər' }).waitFor();
    expect(await menu.getByRole('link', { name: 'Mənzillər' }).count()).toBe(0);
    // the session of the page itself, as the screen would call it
    const res = await page.request.get('/api/v1/officer/mida/announcements');
    expect(res.status()).toBe(403);
    expect((await res.json()).errors).toEqual([
      { field: 'body', message: 'not one of your bodies' },
    ]);
  });
});
