import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { auditTrail } from '../../src/cases/audit.js';
import {
  calendarDayAuditId,
  getCalendarDay,
  loadCalendar,
} from '../../src/cases/calendar-repository.js';
import { civilDateInBaku, deadlineEnd } from '../../src/domain/calendar.js';
import { launchBrowser, newContext, screenshot, seedAccount, signIn } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
let browser: Browser;

beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function operatorPage(id: string): Promise<Page> {
  const who = await seedAccount(t.stack.db.pool, { id, roles: ['operator'] });
  const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
  await signIn(page, who);
  return page;
}

let seq = 0;
async function reviewTask(process: string, body: string, dueAt: Date, assignee?: string) {
  seq += 1;
  await t.stack.db.pool.query(
    `INSERT INTO review_task (job_key, case_type, case_id, process_instance_key, bpmn_process_id, element_id,
                              candidate_groups, assignee, due_at)
     VALUES ($1, 'waitlist-case', $2, $3, $4, 'review', $5, $6, $7)`,
    [
      `e2e-job-${seq}`,
      randomUUID(),
      `${4503599627370000 + seq}`,
      process,
      [`${body}-reviewers`],
      assignee ?? null,
      dueAt,
    ],
  );
}

/** The numbers in one table row, by column header. */
async function rowCounts(page: Page, selector: string): Promise<number[]> {
  const cells = await page.locator(`${selector} td`).allTextContents();
  return cells.map(Number);
}

describe('deadlines dashboard screen', () => {
  it('given open tasks overdue, due today, due within 3 working days and later, when an operator opens the dashboard, then each process and body shows those counts, coloured, in Azerbaijani and English', async () => {
    // Due dates from today's Baku date and the stored working-day calendar.
    const calendar = await loadCalendar(t.stack.db.pool);
    const today = civilDateInBaku(new Date());
    await reviewTask('waitlist-registration', 'baku-nasimi', new Date(Date.now() - 2 * 86_400_000));
    await reviewTask('waitlist-registration', 'baku-nasimi', deadlineEnd(today), 'e2e-reviewer');
    await reviewTask(
      'waitlist-registration',
      'baku-nasimi',
      deadlineEnd(calendar.addWorkingDays(today, 3)),
    );
    await reviewTask(
      'waitlist-registration',
      'sumgait',
      deadlineEnd(calendar.addWorkingDays(today, 4)),
    );

    const page = await operatorPage('e2e-deadlines');
    await page.getByRole('link', { name: 'Müddətlər' }).click();
    await page.getByRole('heading', { name: 'Müddətlər' }).waitFor();
    const row = '[data-testid="deadlines-by-process"] tr[data-process="waitlist-registration"]';
    await page.locator(row).waitFor();
    await expect(page.locator(`${row} th`).textContent()).resolves.toBe('Uçota alınma');
    // open, overdue, due today, due within 3 working days
    await expect(rowCounts(page, row)).resolves.toEqual([4, 1, 1, 1]);
    await expect(page.locator(`${row} td.deadline-due`).count()).resolves.toBe(2);
    await expect(page.locator(`${row} td.deadline-near`).count()).resolves.toBe(1);
    await expect(
      rowCounts(page, '[data-testid="deadlines-by-body"] tr[data-body="baku-nasimi"]'),
    ).resolves.toEqual([3, 1, 2, 1]);
    await expect(
      rowCounts(page, '[data-testid="deadlines-by-body"] tr[data-body="sumgait"]'),
    ).resolves.toEqual([1, 0, 1, 0]);
    await screenshot(page, 'operator-deadlines');

    await page.getByRole('button', { name: 'EN' }).click();
    await expect(
      page.locator('[data-testid="deadlines-by-process"] thead th').allTextContents(),
    ).resolves.toEqual(['Process', 'Open', 'Overdue', 'Due today', 'Within 3 working days']);
    await expect(page.locator(`${row} th`).textContent()).resolves.toBe('Waitlist registration');
  });
});

describe('calendar screen', () => {
  it('given an operator, when they add a holiday with a reason and then remove it, then the list and the change log show both, in Azerbaijani and English', async () => {
    const page = await operatorPage('e2e-calendar');
    await page.goto('/operator/calendar?year=2026');
    await page.getByRole('heading', { name: 'İş günləri təqvimi' }).waitFor();
    await page.locator('[data-date="2026-11-09"]').waitFor(); // a seeded holiday is listed

    const form = page.getByRole('form', { name: 'Gün əlavə et' });
    await form.getByLabel('Tarix').fill('2026-12-15');
    await form.getByLabel('Növ').selectOption('other_day_off');
    await form.getByLabel('Ad (azərbaycanca)').fill('Sınaq istirahət günü');
    await form.getByLabel('Ad (ingiliscə)').fill('Test day off');
    await form.getByLabel('Hüquqi əsas').fill('Nazirlər Kabinetinin qərarı (sınaq)');
    await form.getByLabel('Dəyişikliyin səbəbi').fill('Kabinetin qərarı dərc edildi');
    await form.getByRole('button', { name: 'Yadda saxla' }).click();
    const added = page.locator('[data-testid="calendar-days"] tr[data-date="2026-12-15"]');
    await added.waitFor();
    await expect(added.textContent()).resolves.toContain('Sınaq istirahət günü');
    const log = page.locator('[data-testid="calendar-audit"] tbody tr');
    await expect(log.first().textContent()).resolves.toContain('əlavə edildi');
    await expect(log.first().textContent()).resolves.toContain('Kabinetin qərarı dərc edildi');
    await expect(getCalendarDay(t.stack.db.pool, '2026-12-15')).resolves.toMatchObject({
      kind: 'other_day_off',
      updatedBy: 'e2e-calendar',
    });
    await screenshot(page, 'operator-calendar');

    await page.getByRole('button', { name: 'EN' }).click();
    await added.getByRole('button', { name: 'Remove' }).click();
    await added.getByLabel(/Reason for removing/).fill('Entered by mistake');
    await added.getByRole('button', { name: 'Confirm removal' }).click();
    await added.waitFor({ state: 'detached' });
    await expect(log.first().textContent()).resolves.toContain('removed');
    await expect(log.first().textContent()).resolves.toContain('Entered by mistake');
    await expect(log.nth(1).textContent()).resolves.toContain('added');
    await expect(getCalendarDay(t.stack.db.pool, '2026-12-15')).resolves.toBeUndefined();
    const trail = await auditTrail(t.stack.db.pool, 'calendar', calendarDayAuditId('2026-12-15'));
    expect(trail.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['calendar-day-added', 'e2e-calendar', 'Kabinetin qərarı dərc edildi'],
      ['calendar-day-deleted', 'e2e-calendar', 'Entered by mistake'],
    ]);
  });

  it('given a day without its legal source, when saved, then the error is shown next to the source field and nothing is stored', async () => {
    const page = await operatorPage('e2e-calendar-2');
    await page.goto('/operator/calendar?year=2026');
    const form = page.getByRole('form', { name: 'Gün əlavə et' });
    await form.getByLabel('Tarix').fill('2026-12-16');
    await form.getByLabel('Ad (azərbaycanca)').fill('Sınaq');
    await form.getByLabel('Ad (ingiliscə)').fill('Test');
    await form.getByRole('button', { name: 'Yadda saxla' }).click();
    const source = form.getByLabel('Hüquqi əsas');
    await form.locator('#new-day-source-error').waitFor();
    await expect(form.locator('#new-day-source-error').textContent()).resolves.toBe(
      'the legal source of the day is required',
    );
    await expect(source.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(getCalendarDay(t.stack.db.pool, '2026-12-16')).resolves.toBeUndefined();
  });
});
