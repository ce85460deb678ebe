import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
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

/**
 * The operators' delivery screen (Housing Code 51.6, 53.3, 55.2): an overdue paper delivery is
 * listed with its legal ground and the text to print, and the operator marks it delivered.
 */
let t: TestStack;
let browser: Browser;
beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
}, 300_000); // generous: the stack starts an engine, and the machine may be shared
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('deliveries screen', () => {
  it('Housing Code 55.2: given an overdue paper delivery, when the operator opens the deliveries screen, then it is listed with its citation, in Azerbaijani and English, and can be marked delivered', async () => {
    const caseId = randomUUID();
    await t.stack.db.pool.query(
      `INSERT INTO notice_delivery (idempotency_key, case_type, case_id, template, route, period_code, citation,
                                    decided_on, due_date, due_at, subject, body)
       VALUES ($1, 'waitlist-case', $2, 'waitlist-removal-decided', 'paper', 'seizure-decision-delivery',
               'Housing Code 55.2', '2026-11-02', '2026-11-05', '2026-11-05T23:59:59.999+04:00',
               'Uçotdan çıxarılma haqqında qərar', 'Hörmətli vətəndaş! ... (e2e)')`,
      [`e2e:${caseId}`, caseId],
    );
    const who = await seedAccount(t.stack.db.pool, { id: 'e2e-deliveries', roles: ['operator'] });
    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await signIn(page, who);
    await page.getByRole('link', { name: 'Qərarların təqdimi' }).click();
    await page.getByRole('heading', { name: 'Qərarların təqdim edilməsi' }).waitFor();
    const row = page.locator('tr', { hasText: caseId });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('Housing Code 55.2');
    await expect(row.textContent()).resolves.toContain('Gecikir');
    // the notice by its subject, not its template code
    await expect(row.textContent()).resolves.toContain('Uçotdan çıxarılma haqqında qərar');
    await expect(row.textContent()).resolves.not.toContain('waitlist-removal-decided');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'operator-deliveries');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Delivery of decisions' }).waitFor();
    await expect(row.textContent()).resolves.toContain('Decision on removal from the waitlist');
    await expect(row.textContent()).resolves.toContain('Overdue');
    await expect(row.textContent()).resolves.toContain('Post (paper)');
    await row.getByLabel('Day handed over or posted').waitFor();
    await page.getByRole('button', { name: 'AZ', exact: true }).click();
    await page.getByRole('heading', { name: 'Qərarların təqdim edilməsi' }).waitFor();
    await row.getByLabel('Təqdim (göndərilmə) günü').fill('2026-11-06');
    await row.getByRole('button', { name: 'Təqdim edildi kimi qeyd et' }).click();
    await page.getByText('Qeyd edildi.').waitFor();
    const { rows } = await t.stack.db.pool.query(
      `SELECT to_char(delivered_on, 'YYYY-MM-DD') AS d, delivered_by FROM notice_delivery WHERE case_id = $1`,
      [caseId],
    );
    expect(rows[0]).toEqual({ d: '2026-11-06', delivered_by: 'e2e-deliveries' });
  });
});
