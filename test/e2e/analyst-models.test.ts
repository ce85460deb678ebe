import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { deployModels } from '../../src/engine/models.js';
import { checkModel } from '../../src/engine/model-lint.js';
import { createLogger } from '../../src/logger.js';
import { projectRoot } from '../../src/paths.js';
import { analystModel } from '../support/analyst-models.js';
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
let analyst: { id: string; password: string };
const run = Date.now().toString(36);
const PROBE = `e2e-analyst-${run}`;
const LINTED = `e2e-analyst-label-${run}`;
const probe = (tasks: { id: string; name: string; type?: string }[], processId = PROBE) =>
  analystModel({ processId, name: 'Sənəd yoxlaması', tasks });
const V1 = probe([
  { id: 'check', name: 'Sənədləri yoxla', type: 'check-identity' },
  { id: 'notify', name: 'Xəbər ver', type: 'check-property' },
]);

/** Deploys a model as start-up does (without the gate), so the analyst view lists it. */
async function deployAsAtStartup(processId: string, xml: string): Promise<void> {
  const model = await checkModel(`${processId}.bpmn`, xml, t.stack.engine.version);
  const rest = t.engine;
  await deployModels({ rest, pool: t.stack.db.pool, log: createLogger('silent') }, [model]);
}

async function analystPage(): Promise<Page> {
  const page = await (await newContext(browser, t.stack.apiUrl)).newPage();
  await signIn(page, analyst);
  await page.getByRole('heading', { name: 'Proses modelləri' }).waitFor();
  return page;
}

async function uploadFile(page: Page, name: string, xml: string): Promise<void> {
  await page.goto('/analyst/upload');
  await page.getByLabel('BPMN faylı (.bpmn)').setInputFiles({
    name,
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(xml, 'utf8'),
  });
  await page.getByRole('button', { name: 'Yoxla və yerləşdir' }).click();
}

beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
  analyst = await seedAccount(t.stack.db.pool, { id: 'e2e-analyst', roles: ['analyst'] });
  await deployAsAtStartup(PROBE, V1);
  // a version with a check problem the engine accepts: a task without a name (label-required)
  await deployAsAtStartup(
    LINTED,
    probe([{ id: 'unnamed', name: '', type: 'check-identity' }], LINTED),
  );
}, 300_000); // generous: the stack starts an engine, and the machine may be shared

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

describe('analyst view of process models', () => {
  it('given an analyst, when signed in, then the model list shows each process with its versions and check status', async () => {
    const page = await analystPage();
    const review = page.getByRole('table', { name: /\(application-review\) — versiyalar/ });
    await review.waitFor(); // the list is read from the engine after the page shows
    await expect(review.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Versiya',
      'Yerləşdirilib',
      'Kim tərəfindən',
      'Fayl',
      'Tərif açarı',
      'Yoxlama cəmi',
      'Nümunələr',
      'Yoxlama',
    ]);
    await expect(
      page
        .getByRole('table', { name: new RegExp(`\\(${PROBE}\\)`) })
        .getByRole('row')
        .nth(1)
        .textContent(),
    ).resolves.toContain('xətasız');
    await expect(
      page
        .getByRole('table', { name: new RegExp(`\\(${LINTED}\\)`) })
        .getByRole('row')
        .nth(1)
        .textContent(),
    ).resolves.toContain('1 xəta');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'analyst-models');
  });

  it('given the model list, when switching to English, then the screen, its columns and check results are in English', async () => {
    const page = await analystPage();
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Process models' }).waitFor();
    await expect(
      page.getByRole('link', { name: 'Upload a new version' }).isVisible(),
    ).resolves.toBe(true);
    const review = page.getByRole('table', { name: /\(application-review\) — versions/ });
    await review.waitFor();
    await expect(review.getByRole('columnheader').allTextContents()).resolves.toEqual([
      'Version',
      'Deployed',
      'By',
      'File',
      'Definition id',
      'Checksum',
      'Instances',
      'Check',
    ]);
    const firstRow = (id: string) =>
      page
        .getByRole('table', { name: new RegExp(`\\(${id}\\)`) })
        .getByRole('row')
        .nth(1)
        .textContent();
    await expect(firstRow(PROBE)).resolves.toContain('clean');
    await expect(firstRow(LINTED)).resolves.toContain('1 error');
    await expect(firstRow(LINTED)).resolves.not.toContain('1 errors');
  });

  it('given a deployed version, when the analyst opens it, then its diagram is drawn, in Azerbaijani and English', async () => {
    const page = await analystPage();
    await page.getByRole('link', { name: `${PROBE} versiya 1 — diaqrama bax` }).click();
    const diagram = page.getByRole('group', { name: 'Sənəd yoxlaması versiya 1 diaqramı' });
    await diagram.locator('[data-element-id="notify"]').waitFor();
    await expect(page.getByText('Bu versiyada problem yoxdur.').isVisible()).resolves.toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page
      .getByRole('group', { name: 'Diagram of Sənəd yoxlaması version 1' })
      .locator('[data-element-id="notify"]')
      .waitFor();
    await expect(page.getByText('This version has no problems.').isVisible()).resolves.toBe(true);
  });

  it('given a version with a check problem, when the problem is chosen with the keyboard, then its element is marked on the diagram', async () => {
    const page = await analystPage();
    await page.getByRole('link', { name: `${LINTED} versiya 1 — diaqrama bax` }).click();
    const problem = page.getByRole('button', { name: /unnamed \[label-required\]/ });
    await problem.focus();
    await page.keyboard.press('Enter');
    await page.locator('.djs-element.marker-incident[data-element-id="unnamed"]').waitFor();
    await expect(problem.getAttribute('aria-pressed')).resolves.toBe('true');
  });

  it('given a model with a service task without a task type, when uploaded, then the refusal names the element and the rule', async () => {
    const page = await analystPage();
    await uploadFile(
      page,
      'senedler.bpmn',
      probe([
        { id: 'check', name: 'Sənədləri yoxla', type: 'check-identity' },
        { id: 'register', name: 'Qeydiyyata al' },
      ]),
    );
    const alert = page.getByRole('alert');
    await alert.getByText('Model qəbul edilmədi — heç nə yerləşdirilmədi').waitFor();
    await expect(alert.getByRole('row').nth(1).allInnerTexts()).resolves.toEqual([
      // the rule's id as the Camunda 7 lint names a service task without an implementation
      expect.stringMatching(/^register\t\S+\t.+/),
    ]);
    await expect(page.getByLabel('BPMN faylı (.bpmn)').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await screenshot(page, 'analyst-upload-error');
  });

  it('given a changed valid model, when uploaded, then the diff against the previous version marks what was added, removed and changed', async () => {
    const page = await analystPage();
    await uploadFile(
      page,
      'senedler.bpmn',
      probe([
        { id: 'check', name: 'Bütün sənədləri yoxla', type: 'check-identity' },
        { id: 'register', name: 'Qeydiyyata al', type: 'check-civil-status' },
      ]),
    );
    await page
      .getByRole('status')
      .getByText(/versiyası yerləşdirildi/)
      .waitFor();
    await page.getByRole('link', { name: 'Əvvəlki versiya ilə fərqlər' }).click();
    const older = page.getByRole('group', { name: 'Versiya 1 (köhnə)' });
    const newer = page.getByRole('group', { name: 'Versiya 2 (yeni)' });
    await newer.locator('.djs-element.diff-added[data-element-id="register"]').waitFor();
    await older.locator('.djs-element.diff-removed[data-element-id="notify"]').waitFor();
    await newer.locator('.djs-element.diff-changed[data-element-id="check"]').waitFor();
    const rows = page.getByRole('table', { name: 'Dəyişikliklər' }).getByRole('row');
    await expect(rows.allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^silinib\tnotify\tServiceTask\tXəbər ver/),
        expect.stringMatching(/^əlavə edilib\tregister\tServiceTask\tQeydiyyata al/),
        expect.stringMatching(/^dəyişib\tcheck\tServiceTask\tBütün sənədləri yoxla\tname/),
      ]),
    );
    const file = await screenshot(page, 'analyst-diff');
    fs.mkdirSync(path.join(projectRoot, 'docs', 'screenshots'), { recursive: true });
    fs.copyFileSync(file, path.join(projectRoot, 'docs', 'screenshots', 'analyst-diff.png'));
  });
});
