import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, blocking } from './axe.js';
import { appIsUp, BASE_URL, openBrowser, STACK_STARTED_BY_TESTS, type BrowserSession } from './browser.js';

const up = await appIsUp();
if (!up && STACK_STARTED_BY_TESTS) throw new Error(`the e2e stack started for this run does not answer at ${BASE_URL}`);

// Rules the app once broke (issue 7, item 20) that axe rates below "serious": checked by name as well.
const REQUIRED_RULES = ['page-has-heading-one', 'region', 'landmark-one-main', 'definition-list', 'dlitem', 'heading-order'];

interface AuditedPage {
  readonly name: string;
  readonly path: string;
  /** A test id that shows the page has finished loading its content. */
  readonly ready: string;
}

const visitorPages: AuditedPage[] = [
  { name: 'Message board', path: '/', ready: 'post-form' },
  { name: 'Activity', path: '/activity', ready: 'stat-messages' },
  { name: 'Sign in', path: '/signin', ready: 'signin-page' },
  { name: 'Create an account', path: '/signup', ready: 'signup-submit' },
  { name: 'Reset password', path: '/reset-password', ready: 'reset-page' },
  { name: 'Not found', path: '/no-such-page', ready: 'not-found' },
];

const signedInPages: AuditedPage[] = [
  { name: 'Profile', path: '/profile', ready: 'profile-card' },
  { name: 'Session', path: '/session', ready: 'session-panel' },
];

async function expectAccessible(page: Page, target: AuditedPage): Promise<void> {
  await page.goto(target.path);
  await page.getByTestId(target.ready).first().waitFor();
  const findings = await audit(page);

  expect(blocking(findings), `${target.name}: serious or critical axe violations`).toEqual([]);
  expect(
    findings.filter((f) => REQUIRED_RULES.includes(f.rule)),
    `${target.name}: heading, landmark and list rules`,
  ).toEqual([]);
}

describe.skipIf(!up).sequential('accessibility audit (axe-core) of every page', () => {
  let browser: BrowserSession;

  beforeAll(async () => {
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it.each(visitorPages)('when a visitor opens $name ($path), then axe finds nothing serious or critical', async (target) => {
    await expectAccessible(browser.page, target);
  });

  it.each(signedInPages)('when a signed-in user opens $name ($path), then axe finds nothing serious or critical', async (target) => {
    const { page } = browser;
    if (!(await page.getByTestId('sign-out').isVisible())) {
      await page.goto('/signup');
      await page
        .getByTestId('signup-email')
        .getByRole('textbox')
        .fill(`a11y-${randomUUID().slice(0, 8)}@example.test`);
      await page.getByTestId('signup-password').getByLabel('Password').fill(`pw-${randomUUID()}`);
      await page.getByTestId('signup-submit').click();
      await page.waitForURL('**/profile');
    }
    await expectAccessible(page, target);
  });
});
