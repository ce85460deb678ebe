import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { persona, syntheticDataset } from '../../dev/synthetic-citizens.js';
import { ELIGIBILITY_GROUNDS } from '../../src/domain/eligibility-grounds.js';
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
let who: { id: string; password: string };
/**
 * A: the registry's category-9 persona with a scanned document (granted in the first test);
 * B: category 10 under a FIN no registry knows (its checks fail), left open.
 */
const A = persona('category-9-pass');
const A_IDENTITY = syntheticDataset().citizens.get(A.fin)!.identity;
const A_NAME = `${A_IDENTITY.name.lastName} ${A_IDENTITY.name.firstName} ${A_IDENTITY.name.patronymic}`;
/** dd.mm.yyyy, as the Azerbaijani screens write a date */
const azDate = (iso: string) => iso.split('-').reverse().join('.');
/** full years from a date of birth to today in Baku */
function ageToday(birthDate: string): number {
  const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Baku' }).format(new Date());
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

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
    displayName: 'Aygün Məmmədova',
    roles: ['reviewer'],
    bodies: ['mida'],
  });
  const draft = await createDraft(t, A.fin, completeForm({ ...A.application.form }));
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
}, 300_000); // generous: the stack starts an engine, and the machine may be shared

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

/** No serious or critical axe violation on the page as it is now. */
async function expectAccessible(page: Page): Promise<void> {
  expect(await axeViolations(page)).toEqual([]);
}

/** The visible text of the main area (closed <details> and hidden parts excluded). */
const mainText = (page: Page) => page.locator('main').innerText();

/** Codes a person must not see on the reviewer's screens (issue 15), account ids among them. */
const CODES =
  /own_funds|check-passed|check-failed|draft-started|groundCode|reasons:|notes:|category-evidence|identity-matches-registry|application-review|\bmida\b|e2e-reviewer|citizen:/;

describe('reviewer workbench screens', () => {
  it('given a signed-in reviewer, when filtering, claiming, opening the case and granting with a ground and a reason, then the task leaves the inbox and the application is approved', async () => {
    const page = await signedIn();
    await row(page, b.taskId).waitFor();
    await row(page, a.taskId).getByTestId('applicant').getByText(A_NAME).waitFor();
    // B's FIN is known to no registry: its checks failed, and the inbox marks it in words
    await expect(row(page, b.taskId).getByTestId('failed-mark').innerText()).resolves.toMatch(
      /yoxlama uyğun deyil$/,
    );
    await expect(row(page, a.taskId).getByTestId('failed-mark').count()).resolves.toBe(0);
    await expect(row(page, a.taskId).innerText()).resolves.toContain(
      'Mənzil İnşaatı Dövlət Agentliyi (MİDA)',
    );
    await expectAccessible(page);
    await page.getByLabel('Təhkim olunmamışlar').check();
    await page.getByLabel('Proses').selectOption('application-review');
    await page.getByLabel('Kateqoriya / siyahı').selectOption('9');
    await row(page, b.taskId).waitFor({ state: 'detached' });
    await row(page, a.taskId).waitFor();
    await expect(page.locator('[data-count="total"] .count-n').textContent()).resolves.toBe('2');
    await screenshot(page, 'reviewer-inbox');

    await row(page, a.taskId).getByRole('button', { name: 'Götür' }).click();
    await page.getByRole('status').getByText('İş sizə təhkim olundu.').waitFor();
    // claimed: no longer unassigned
    await row(page, a.taskId).waitFor({ state: 'detached' });
    // the count "assigned to me" is a link to exactly those tasks
    await page.getByRole('link', { name: /Mənə təhkim olunub/ }).click();
    await expect(page.getByLabel('Mənə təhkim olunanlar').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Təhkim olunmamışlar').isChecked()).resolves.toBe(false);
    await row(page, b.taskId).waitFor({ state: 'detached' });
    await expect(row(page, a.taskId).innerText()).resolves.toContain('Aygün Məmmədova');
    await row(page, a.taskId)
      .getByRole('link', { name: `Müraciət № ${a.registrationNumber}` })
      .click();

    await page.getByRole('heading', { name: `İş: Müraciət № ${a.registrationNumber}` }).waitFor();
    await expect(page.getByTestId('deadline-citation').textContent()).resolves.toBe('003 §5.5');
    // the applicant as the identity registry gave them, beside the FIN, with the age
    await expect(page.getByTestId('applicant-line').innerText()).resolves.toBe(
      `${A_NAME} · FİN ${A.fin} · Doğum tarixi: ${azDate(A_IDENTITY.birthDate)} (${ageToday(A_IDENTITY.birthDate)} yaş)`,
    );
    // the ID card as a sentence, the payment method in words
    await expect(page.locator('[data-field-value="idCard"]').innerText()).resolves.toBe(
      `${A_IDENTITY.idSeries} ${A_IDENTITY.idNumber}, ${A_IDENTITY.issuer} tərəfindən ${azDate(A_IDENTITY.issueDate)} tarixində verilib`,
    );
    await expect(page.locator('[data-field-value="paymentIntent"]').innerText()).resolves.toBe(
      'öz vəsaiti',
    );
    // each check as one sentence with its ground in words and its citation (003 §5.3.2)
    const identity = page.locator('[data-check="identity"]');
    await expect(identity.getByRole('heading').innerText()).resolves.toContain(
      'Şəxsiyyət vəsiqəsinin reyestrlə uyğunluğu',
    );
    await expect(identity.locator('.check-sentence').innerText()).resolves.toBe('Uyğundur.');
    await expect(identity.locator('.check-ground').innerText()).resolves.toBe(
      `${ELIGIBILITY_GROUNDS.IDENTITY_MATCHES_REGISTRY.az} (003 §5.3.2; 000 §2.1.1)`,
    );
    await expect(identity.innerText()).resolves.toContain('Mənbə: Şəxsiyyət vəsiqələri reyestri');
    await expect(page.getByTestId('check-summary').innerText()).resolves.toBe(
      'Bütün yoxlamalar uyğundur',
    );
    // the audit trail in words
    await page.getByRole('cell', { name: 'Müraciət təqdim edildi' }).waitFor();
    await page.getByRole('cell', { name: 'Yoxlama uyğundur' }).first().waitFor();
    await page.getByRole('cell', { name: 'İş götürüldü' }).waitFor();
    // who acted: the reviewer's name and role, not the account id
    await expect(
      page
        .getByRole('row')
        .filter({ hasText: 'İş götürüldü' })
        .getByRole('cell')
        .nth(1)
        .innerText(),
    ).resolves.toBe('Aygün Məmmədova (baxan əməkdaş)');
    await expect(mainText(page)).resolves.not.toMatch(CODES);

    await page.getByRole('button', { name: /Göstər — kateqoriyanı təsdiq edən sənəd/ }).click();
    const img = page.getByRole('img', { name: 'Sənədə baxış: kateqoriyanı təsdiq edən sənəd' });
    await img.waitFor();
    await expect(
      img.evaluate((el) => (el as unknown as { naturalWidth: number }).naturalWidth),
    ).resolves.toBe(16);

    // the decision stays in view beside the case, however far the file is scrolled
    await page.getByRole('heading', { name: 'Əməliyyat tarixçəsi' }).scrollIntoViewIfNeeded();
    await expect(page.getByRole('button', { name: 'Qərarı qeyd et' }).isVisible()).resolves.toBe(
      true,
    );
    const box = await page.getByRole('complementary').boundingBox();
    expect(box!.y).toBeGreaterThanOrEqual(0);
    expect(box!.y).toBeLessThan(900);
    await expectAccessible(page);
    await page.evaluate('window.scrollTo(0, 0)');
    await screenshot(page, 'reviewer-case');

    await page.getByLabel('Təmin et').check();
    // a single ground for a grant: chosen, and shown in words with its citation
    await expect(page.getByTestId('chosen-ground').innerText()).resolves.toBe(
      'Müraciət qeydiyyat nömrələrinin ardıcıllığı ilə təmin edilir, elektron kabinet verilir. Hüquqi əsas: 003 §5.5',
    );
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

  it('given no written reason, when submitting a refusal, then the error summary at the top of the form names the reason field, links to it, and the task stays open', async () => {
    const page = await signedIn();
    await page.goto(`/reviewer/tasks/${b.taskId}`);
    await page.getByLabel('İmtina et').check();
    // 003 §5.5; 000 §2.4: the lapsed-deadline refusal only after an unanswered discrepancy, and
    // the withdrawn "documents not submitted" (another procedure's ground) never
    const ground = page.getByRole('combobox', { name: /^Hüquqi əsas/ });
    for (const code of [
      'refuse-category-not-established-deadline-lapsed',
      'refuse-documents-not-submitted',
    ])
      await expect(ground.locator(`option[value="${code}"]`).count()).resolves.toBe(0);
    await ground.selectOption('refuse-not-in-category');
    await page.getByRole('button', { name: 'Qərarı qeyd et' }).click();
    const reason = page.getByLabel('Əsaslandırma (yazılı, ən azı 10 simvol)');
    await page.locator('#err-reason').waitFor();
    await expect(reason.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(reason.getAttribute('aria-describedby')).resolves.toBe('err-reason');
    await expect(page.locator('#err-reason').textContent()).resolves.toMatch(/10/);
    await expect(page.locator(':focus').getAttribute('data-field')).resolves.toBe('reason');
    const summary = page.locator('.error-summary');
    await summary.getByRole('heading', { name: 'Problem var' }).waitFor();
    const link = summary.getByRole('link', {
      name: /^Əsaslandırma \(yazılı, ən azı 10 simvol\): /,
    });
    await page.getByRole('button', { name: 'Qərarı qeyd et' }).focus();
    await link.click();
    await expect(page.locator(':focus').getAttribute('data-field')).resolves.toBe('reason');
    await expectAccessible(page);
    expect((await statusOf(t, b.id)).status).toBe('under_review');
  });

  it('given the reviewer switches to English, then the inbox, the case with its failed checks and the decision form are in words in English', async () => {
    const page = await signedIn();
    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('heading', { name: 'Tasks to review' }).waitFor();
    await expect(page.getByRole('columnheader', { name: 'Due date' }).isVisible()).resolves.toBe(
      true,
    );
    await expect(row(page, b.taskId).getByTestId('failed-mark').innerText()).resolves.toMatch(
      /checks? failed$/,
    );
    await expect(row(page, b.taskId).innerText()).resolves.toContain(
      'State Housing Construction Agency (MIDA)',
    );
    await row(page, b.taskId)
      .getByRole('link', { name: `Application No. ${b.registrationNumber}` })
      .click();
    await page
      .getByRole('heading', { name: `Case: Application No. ${b.registrationNumber}` })
      .waitFor();
    // a FIN no registry knows: the identity check failed, and says why, on which ground
    const identity = page.locator('[data-check="identity"]');
    await expect(identity.getAttribute('class')).resolves.toContain('failed');
    await expect(identity.getByRole('heading').innerText()).resolves.toContain(
      'Identity card matches the registry',
    );
    await expect(identity.locator('.check-sentence').innerText()).resolves.toBe(
      'Failed: not found in the identity registry.',
    );
    await expect(identity.locator('.check-ground').innerText()).resolves.toBe(
      `${ELIGIBILITY_GROUNDS.IDENTITY_MATCHES_REGISTRY.en} (003 §5.3.2; 000 §2.1.1)`,
    );
    await expect(page.getByTestId('check-summary').innerText()).resolves.toMatch(/checks? failed$/);
    await expect(page.getByTestId('applicant-line').innerText()).resolves.toContain(
      'the identity check has not run yet',
    );
    await expect(page.locator('[data-field-value="paymentIntent"]').innerText()).resolves.toBe(
      'own funds',
    );
    await page.getByRole('cell', { name: 'Application submitted' }).waitFor();
    await page.getByRole('cell', { name: 'Check failed' }).first().waitFor();
    await expect(mainText(page)).resolves.not.toMatch(CODES);
    await expectAccessible(page);
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

  it('given only a keyboard, when signing in, opening a case from the inbox and recording an extension, then every step is reached by Tab and Enter', async () => {
    const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
    await page.goto('/');
    /** Tab until the focused element matches, at most `max` times. */
    const focused = (selector: string) =>
      page.evaluate(
        `document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`,
      ) as Promise<boolean>;
    const tabTo = async (selector: string, max = 80) => {
      for (let i = 0; i < max; i++) {
        if (await focused(selector)) return;
        await page.keyboard.press('Tab');
      }
      throw new Error(`Tab never reached ${selector}`);
    };
    await tabTo('input[name="username"]');
    await page.keyboard.type(who.id);
    await page.keyboard.press('Tab');
    await page.keyboard.type(who.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Baxılacaq işlər' }).waitFor();
    await row(page, b.taskId).waitFor();
    await tabTo(`a[href="/reviewer/tasks/${b.taskId}"]`);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: `İş: Müraciət № ${b.registrationNumber}` }).waitFor();
    // into the outcome's radio group by Tab, then to "extend" by the arrow keys
    await tabTo('input[name="outcome"]');
    for (let i = 0; i < 8 && !(await focused('input[value="extend"]')); i++)
      await page.keyboard.press('ArrowDown');
    await expect(page.getByLabel('Müddəti uzat').isChecked()).resolves.toBe(true);
    await tabTo('textarea[data-field="reason"]');
    await page.keyboard.type('Reyestrdən əlavə məlumat gözlənilir.');
    await tabTo('button[type="submit"]');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Qərar qeyd edildi: Müddəti uzat.').waitFor();
    await waitForStatus(t, b.id, 'under_review');
  }, 180_000); // up to ~100 key presses, each a round trip to the browser: slow on a shared machine
});
