import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  newContext,
  seedAccount,
  signIn,
} from '../support/browser.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { entryOnList, openTaskOfCase, registryIdentity } from '../support/waitlist.js';

/**
 * Seizure cases in the reviewer's screens show the registered person by name and date of birth,
 * fetched from the identity registry when the case opened (issue 15; 002 §2.3), or say that the
 * registry does not know the person.
 */
let t: TestStack;
let browser: Browser;
let who: { id: string; password: string };
const KNOWN = 'SYWMOVE';
const UNKNOWN = 'SYUNKNW';
const card = registryIdentity(KNOWN)!;
const NAME = `${card.name.lastName} ${card.name.firstName} ${card.name.patronymic}`;
/** dd.mm.yyyy, as the Azerbaijani screens write a date */
const azDate = (iso: string) => iso.split('-').reverse().join('.');
let known: string;
let unknown: string;

async function seizedTask(fin: string, ground: string): Promise<string> {
  const entry = await entryOnList(t, fin);
  const res = await t.api(`/api/v1/waitlist/entries/${entry}/seizure-cases`, {
    body: {
      ground,
      source: 'reviewer',
      establishedOn: new Date().toISOString().slice(0, 10),
    },
  });
  if (res.status !== 201) throw new Error(`seize: ${res.status}`);
  return (await openTaskOfCase(t, res.body.caseId as string)).taskId;
}

beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
  who = await seedAccount(t.stack.db.pool, {
    id: 'e2e-nasimi-reviewer',
    displayName: 'Rəşad Əliyev',
    roles: ['reviewer'],
    bodies: ['baku-nasimi'],
  });
  known = await seizedTask(KNOWN, 'remove-moved-away');
  unknown = await seizedTask(UNKNOWN, 'remove-need-ceased');
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

describe('seizure cases by name in the reviewer workbench', () => {
  it('given a seizure of a person the registry knows, then the inbox row and the case view show the name and the date of birth', async () => {
    const page = await signedIn();
    await expect(row(page, known).getByTestId('applicant').innerText()).resolves.toBe(NAME);
    await row(page, known).getByRole('link').first().click();
    const line = page.getByTestId('applicant-line');
    await line.waitFor();
    await expect(line.innerText()).resolves.toContain(NAME);
    await expect(line.innerText()).resolves.toContain(azDate(card.birthDate));
    expect(await axeViolations(page)).toEqual([]);
  });

  it('given a seizure of a person the registry does not know, then the screens say so, in az and en', async () => {
    const page = await signedIn();
    await expect(row(page, unknown).getByTestId('applicant').innerText()).resolves.toBe(
      'ad reyestrdən məlum deyil',
    );
    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('heading', { name: 'Tasks to review' }).waitFor();
    await expect(row(page, unknown).getByTestId('applicant').innerText()).resolves.toBe(
      'name not known from the registry',
    );
    await row(page, unknown).getByRole('link').first().click();
    const line = page.getByTestId('applicant-line');
    await line.waitFor();
    await expect(line.innerText()).resolves.toContain('name not known from the registry');
  });
});
