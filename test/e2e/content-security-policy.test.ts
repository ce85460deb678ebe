import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, newContext, seedAccount, signIn } from '../support/browser.js';
import { eventually, startTestStack, type TestStack } from '../support/stack.js';

// Issue 14 §10: the screens work under a CSP without 'unsafe-inline' — the Vite bundle, the
// bpmn-js diagrams (which style SVG through the DOM, allowed) and every audience's screen.
// The browser reports every violation; none may occur.

let t: TestStack;
let browser: Browser;

beforeAll(async () => {
  t = await startTestStack();
  browser = await launchBrowser();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** A page that records every CSP violation the browser reports (event and console). */
async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
  const context = await newContext(browser, t.stack.apiUrl);
  // (browser code as strings: the tests are compiled without the DOM's types)
  await context.addInitScript({
    content: `window.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__csp.push(e.violatedDirective + ' ' + e.blockedURI);
      });`,
  });
  const page = await context.newPage();
  const fromConsole: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) fromConsole.push(m.text());
  });
  return {
    page,
    violations: async () => [
      ...fromConsole,
      ...((await page.evaluate('window.__csp')) as string[]),
    ],
  };
}

describe('the screens under the Content-Security-Policy (issue 14 §10)', () => {
  it("given a user of every role, when visiting every audience's screens and a BPMN diagram, then the browser reports no CSP violation", async () => {
    const who = await seedAccount(t.stack.db.pool, {
      id: 'csp-all-roles',
      roles: ['reviewer', 'supervisor', 'operator', 'analyst', 'administrator'],
      bodies: ['mida'],
    });
    const { page, violations } = await watchedPage();
    const first = await page.goto('/');
    expect(first!.headers()['content-security-policy']).not.toContain('unsafe-inline');
    await signIn(page, who);
    const visited: string[] = [];
    for (const path of [
      '/reviewer',
      '/operator/instances',
      '/operator/incidents',
      '/operator/deadlines',
      '/operator/calendar',
      '/analyst',
      '/admin/accounts',
    ]) {
      await page.goto(path);
      await page.getByRole('button', { name: /Çıxış|Sign out/ }).waitFor();
      await page.waitForLoadState('networkidle');
      visited.push(path);
    }
    // a diagram drawn by bpmn-js (the analyst's view of the application review)
    await page.goto('/analyst');
    await page
      .getByRole('link', { name: /application-review versiya \d+ — diaqrama bax/ })
      .first()
      .click();
    await page.locator('.djs-container [data-element-id]').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(visited).toHaveLength(7);
    expect(await violations()).toEqual([]);
  });

  it('given the policy, when a page tries an inline script and an inline style element, then the browser blocks both and reports them (the check above can see violations)', async () => {
    const { page, violations } = await watchedPage();
    await page.goto('/');
    const ran = await page.evaluate(`(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.head.appendChild(s);
      const st = document.createElement('style');
      st.textContent = 'body { background: red }';
      document.head.appendChild(st);
      return !!window.__inlineRan;
    })()`);
    expect(ran).toBe(false);
    const v = await eventually(async () => {
      const seen = await violations();
      return seen.length >= 2 ? seen : undefined;
    });
    expect(v.some((x) => /script-src/.test(x))).toBe(true);
    expect(v.some((x) => /style-src/.test(x))).toBe(true);
  });
});
