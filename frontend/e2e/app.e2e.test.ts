import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appIsUp, BASE_URL, openBrowser, STACK_STARTED_BY_TESTS, type BrowserSession } from './browser.js';
import { screenshot } from './screenshots.js';

const up = await appIsUp();
if (!up && STACK_STARTED_BY_TESTS) throw new Error(`the e2e stack started for this run does not answer at ${BASE_URL}`);
if (!up) console.warn(`[e2e] skipped: nothing answers at ${BASE_URL} (start the stack with \`pnpm dev\`, or set BASE_URL)`);

const email = `e2e-${randomUUID().slice(0, 8)}@example.test`;
const password = `pw-${randomUUID()}`;
const runId = randomUUID().slice(0, 8);
// The unique part first, so it survives if the feed shortens long texts in its summary.
const messageText = `${runId}: hello from the browser test`;

async function statValue(page: Page, key: string): Promise<number> {
  return Number(await page.getByTestId(`stat-${key}`).innerText());
}

async function signIn(page: Page): Promise<void> {
  await page.goto('/signin');
  await page.getByTestId('signin-email').getByRole('textbox').fill(email);
  await page.getByTestId('signin-password').getByLabel('Password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.waitForURL((url) => url.pathname !== '/signin');
}

// One user's journey, step by step: each test builds on the previous one's state.
describe.skipIf(!up).sequential('the SPA against the running stack', () => {
  let browser: BrowserSession;
  let page: Page;
  let messagesBefore = 0;

  beforeAll(async () => {
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('when a visitor signs up, then they land on their profile', async () => {
    await page.goto('/activity');
    await expect.poll(() => page.getByTestId('stat-messages').count(), { timeout: 15_000 }).toBe(1);
    messagesBefore = await statValue(page, 'messages');

    await page.goto('/signup');
    await screenshot(page, 'sign-up');
    await page.getByTestId('signup-email').getByRole('textbox').fill(email);
    await page.getByTestId('signup-password').getByLabel('Password').fill(password);
    await page.getByTestId('signup-submit').click();
    await page.waitForURL('**/profile');
    await page.getByTestId('profile-card').waitFor();
    expect(await page.getByTestId('profile-email').innerText()).toBe(email);
  });

  it('when they post a message, then it appears on the board and stays after a reload', async () => {
    await page.goto('/');
    await page.getByTestId('post-text').getByRole('textbox').fill(messageText);
    await page.getByTestId('post-submit').click();
    await page.getByTestId('message-list').getByText(messageText).waitFor();

    await page.reload();
    await page.getByTestId('message-list').getByText(messageText).waitFor();
    await screenshot(page, 'message-board');
  });

  it('when the event has flowed, then the activity feed shows it and the message count went up', async () => {
    await page.goto('/activity');
    // The page refreshes itself every few seconds; the consumer applies the event asynchronously.
    await expect.poll(() => statValue(page, 'messages'), { timeout: 30_000, interval: 1000 }).toBeGreaterThan(messagesBefore);
    await page.getByTestId('activity-list').locator('.activity-item').filter({ hasText: runId }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'activity');
  });

  it('when the session panel loads over grpc-web, then a fresh sign-in is AUTHENTICATED', async () => {
    await page.goto('/session');
    await page.getByTestId('session-panel').waitFor();
    expect(await page.getByTestId('session-level').innerText()).toBe('AUTHENTICATED');
    expect(await page.getByTestId('session-uid').innerText()).not.toBe('');
    await screenshot(page, 'session');
  });

  it('when the profile is edited with a fresh session, then it saves without a password prompt', async () => {
    await page.goto('/profile');
    await page.getByTestId('profile-edit').click();
    await page.getByTestId('profile-display-name').getByRole('textbox').fill('Ada Browser');
    await page.getByTestId('profile-bio').getByRole('textbox').fill('Written by the e2e test.');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-saved').waitFor();
    expect(await page.getByTestId('profile-name').innerText()).toBe('Ada Browser');
    expect(await page.getByTestId('step-up-dialog').isVisible()).toBe(false);
    await screenshot(page, 'profile');
  });

  it('when the same user signs in elsewhere, then this older session must confirm the password to edit, and then succeeds', async () => {
    // Token iat has one-second resolution: the other sign-in must be strictly newer.
    await sleep(1100);
    const other = await openBrowser();
    try {
      await signIn(other.page);
      // auth-service learns of the newer sign-in when it sees its token.
      await other.page.goto('/session');
      await other.page.getByTestId('session-panel').waitFor();
      expect(await other.page.getByTestId('session-level').innerText()).toBe('AUTHENTICATED');
    } finally {
      await other.close();
    }

    await page.goto('/session');
    await page.getByTestId('session-panel').waitFor();
    expect(await page.getByTestId('session-level').innerText()).toBe('AUTHORIZED');

    await page.goto('/profile');
    await page.getByTestId('profile-edit').click();
    await page.getByTestId('profile-display-name').getByRole('textbox').fill('Ada Stepped Up');
    await page.getByTestId('profile-save').click();
    const passwordField = page.getByTestId('step-up-password').getByLabel('Password');
    await passwordField.waitFor();
    await screenshot(page, 'step-up');
    await passwordField.fill(password);
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('profile-saved').waitFor();
    expect(await page.getByTestId('profile-name').innerText()).toBe('Ada Stepped Up');
  });

  it('when they sign out, then the profile route sends them to sign-in', async () => {
    await page.getByTestId('sign-out').click();
    await page.waitForURL('**/signin');
    await page.goto('/profile');
    await page.waitForURL((url) => url.pathname === '/signin' && url.searchParams.get('redirect') === '/profile');
    await page.getByTestId('signin-required').waitFor();
    await screenshot(page, 'sign-in');
  });
});

describe.skipIf(!up)('Google sign-in against the Auth emulator', () => {
  it('when a visitor presses "Sign in with Google", then the emulator test account is signed in as a google.com user', async () => {
    const session = await openBrowser();
    try {
      const { page } = session;
      await page.goto('/signin');
      await page.getByTestId('google-sign-in').click();
      await page.waitForURL((url) => url.pathname !== '/signin');
      await page.goto('/session');
      await page.getByTestId('session-panel').waitFor();
      expect(await page.getByTestId('session-level').innerText()).toBe('AUTHENTICATED');
      expect(await page.getByTestId('session-panel').innerText()).toContain('google.com');
    } finally {
      await session.close();
    }
  });
});
