import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { PORTAL } from '../support/auth.js';
import {
  completeForm,
  createDraft,
  openTaskOf,
  SIGNED,
  statusOf,
  submitNew,
  waitForStatus,
} from '../support/applications.js';
import { launchBrowser, newContext, screenshot, seedAccount, signIn } from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';

let t: TestStack;
let browser: Browser;
let who: { id: string; password: string };
/** A: category 9 with a scanned document (granted in the first test); B: category 10, left open. */
let a: { id: string; taskId: string; registrationNumber: number };
let b: { id: string; taskId: string; registrationNumber: number };

// A real 16×16 PNG (a colour gradient), so the preview decodes as an image.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAABk0lEQVR4nBXRURVEIQhFUSIYgQhEIIIRiGAEIhjhRCACEYxgBCPMPL5ZrHvZIsIQVDDBhSmEsIQUtoBQQgtHuMITRAZjoAMb+GAOYrAGOdgDBjXowRncwRuIKENRxRRXphLKUlLZCkoprRzlKk8RMYahhhluTCOMZaSxDYwy2jjGNZ4h4gxHHXPcmU44y0lnOzjltHOc6zxHZDImOrGJT+YkJmuSkz1hUpOenMmdvIlIMAINLPBgBhGsIIMdEFTQwQlu8AKRxVjowha+mItYrEUu9oJFLXpxFnfxFiLJSDSxxJOZRLKSTHZCUkknJ7nJy7/DZmx0YxvfzE1s1iY3e8OmNr05m7t5++/w4aDfA/GvJPEFIb/lbwoaDlx4/B2KUWhhhReziGIVWez61qvo4hS3ePV3aEajjTXezCaa1WSz+zteTTenuc3rv8NhHPRgBz/MQxzWIQ/7fFHq0IdzuId3/g6XcdGLXfwyL3FZl7zs+wWvS1/O5V7e/Ts8xkMf9vDHfMRjPfKx31ezHv04j/t4jx9q4ZAQ5d85bgAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
  who = await seedAccount(t.stack.db.pool, {
    id: 'e2e-reviewer',
    roles: ['reviewer'],
    bodies: ['mida'],
  });
  const draft = await createDraft(t, '7WE0001', completeForm({ category: 9 }));
  const form = new FormData();
  form.append('kind', 'category-evidence');
  form.append('issuer', 'Notariat 5');
  form.append('issueDate', '2024-05-10'); // 000 §2.1.10–2.1.11: required at submission
  form.append('file', new Blob([new Uint8Array(PNG)]), 'scan.png');
  const up = await fetch(`${t.stack.apiUrl}/api/v1/applications/${draft.id}/documents`, {
    method: 'POST',
    headers: PORTAL,
    body: form,
  });
  if (up.status !== 201) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const submitted = await t.api(`/api/v1/applications/${draft.id}/submit`, { body: SIGNED });
  a = {
    id: draft.id,
    taskId: (await openTaskOf(t, draft.id)).taskId,
    registrationNumber: submitted.body.registrationNumber,
  };
  const second = await submitNew(
    t,
    '7WE0002',
    completeForm({
      category: 10,
      categoryDetails: { militaryStatus: 'serving' }, // 000 §2.1.5 (10)
    }),
  );
  b = { ...second, taskId: (await openTaskOf(t, second.id)).taskId };
});

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

async function signedIn(): Promise<Page> {
  const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
  await signIn(page, who);
  await page.getByRole('heading', { name: 'Baxılacaq işlər' }).waitFor();
  return page;
}

const row = (page: Page, taskId: string) => page.locator(`tr[data-task-id="${taskId}"]`);

describe('reviewer workbench screens', () => {
  it('given a signed-in reviewer, when filtering, claiming, opening the case and granting with a ground and a reason, then the task leaves the inbox and the application is approved', async () => {
    const page = await signedIn();
    await row(page, b.taskId).waitFor();
    await page.getByLabel('Təhkim olunmamışlar').check();
    await page.getByLabel('Proses').selectOption('application-review');
    await page.getByLabel('Kateqoriya / siyahı').selectOption('9');
    await row(page, b.taskId).waitFor({ state: 'detached' });
    await row(page, a.taskId).waitFor();
    await expect(page.locator('[data-count="total"] dd').textContent()).resolves.toBe('2');
    await screenshot(page, 'reviewer-inbox');

    await row(page, a.taskId).getByRole('button', { name: 'Götür' }).click();
    await page.getByRole('status').getByText('İş sizə təhkim olundu.').waitFor();
    // claimed: no longer unassigned
    await row(page, a.taskId).waitFor({ state: 'detached' });
    await page.getByLabel('Təhkim olunmamışlar').uncheck();
    await row(page, a.taskId)
      .getByRole('link', { name: `Müraciət № ${a.registrationNumber}` })
      .click();

    await page.getByRole('heading', { name: `İş: Müraciət № ${a.registrationNumber}` }).waitFor();
    await expect(page.getByTestId('deadline-citation').textContent()).resolves.toBe('003 §5.5');
    await page.getByRole('button', { name: /Göstər — category-evidence/ }).click();
    const img = page.getByRole('img', { name: 'Sənədə baxış: category-evidence' });
    await img.waitFor();
    await expect(
      img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth),
    ).resolves.toBe(16);
    await expect(
      page.getByRole('cell', { name: 'Şəxsiyyət vəsiqələri reyestri' }).first().isVisible(),
    ).resolves.toBe(true);
    await screenshot(page, 'reviewer-case');

    await page.getByLabel('Təmin et').check();
    await page.getByRole('combobox', { name: /^Hüquqi əsas/ }).selectOption('grant-cabinet');
    await page
      .getByLabel('Əsaslandırma (yazılı, ən azı 10 simvol)')
      .fill('Kateqoriya reyestrlə təsdiqləndi, sənədlər tamdır.');
    await screenshot(page, 'reviewer-decision');
    await page.getByRole('button', { name: 'Qərarı qeyd et' }).click();

    await page.getByRole('heading', { name: 'Baxılacaq işlər' }).waitFor();
    await page.getByRole('status').getByText('Qərar qeyd edildi: Təmin et.').waitFor();
    await row(page, b.taskId).waitFor();
    await row(page, a.taskId).waitFor({ state: 'detached' });
    expect((await waitForStatus(t, a.id, 'approved')).decision.legalGround).toBe('grant-cabinet');
  });

  it('given no written reason, when submitting a refusal, then the error is shown by the reason field and the task stays open', async () => {
    const page = await signedIn();
    await page.goto(`/reviewer/tasks/${b.taskId}`);
    await page.getByLabel('İmtina et').check();
    await page
      .getByRole('combobox', { name: /^Hüquqi əsas/ })
      .selectOption('refuse-not-in-category');
    await page.getByRole('button', { name: 'Qərarı qeyd et' }).click();
    const reason = page.getByLabel('Əsaslandırma (yazılı, ən azı 10 simvol)');
    await page.locator('#err-reason').waitFor();
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(reason.getAttribute('aria-describedby')).resolves.toBe('err-reason');
    await expect(page.locator('#err-reason').textContent()).resolves.toMatch(/10/);
    await expect(page.locator(':focus').getAttribute('data-field')).resolves.toBe('reason');
    expect((await statusOf(t, b.id)).status).toBe('under_review');
  });

  it('given the reviewer switches to English, then the inbox, the case and the decision form are in English', async () => {
    const page = await signedIn();
    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('heading', { name: 'Tasks to review' }).waitFor();
    await expect(page.getByRole('columnheader', { name: 'Due date' }).isVisible()).resolves.toBe(
      true,
    );
    await row(page, b.taskId)
      .getByRole('link', { name: `Application No. ${b.registrationNumber}` })
      .click();
    await page
      .getByRole('heading', { name: `Case: Application No. ${b.registrationNumber}` })
      .waitFor();
    await page.getByLabel('Refuse').check();
    const ground = page.getByRole('combobox', { name: /^Legal ground/ });
    await expect(
      ground.locator('option[value="refuse-not-in-category"]').textContent(),
    ).resolves.toBe(
      'The applicant does not belong to a category entitled to a preferential apartment. (003 §5.5; 000 §2.1.5)',
    );
    await page.getByLabel('Extend the review').check();
    await page.getByText('the applicant is notified (003 §5.5)').waitFor();
  });
});
