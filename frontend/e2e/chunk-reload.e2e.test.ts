import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appIsUp, BASE_URL, openBrowser, STACK_STARTED_BY_TESTS, type BrowserSession } from './browser.js';

const up = await appIsUp();
if (!up && STACK_STARTED_BY_TESTS) throw new Error(`the e2e stack started for this run does not answer at ${BASE_URL}`);

describe.skipIf(!up)('a tab opened before a deploy', () => {
  let browser: BrowserSession;

  beforeAll(async () => {
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("when a lazy route's chunk answers 404 (removed by the deploy), then the app reloads once and opens that route", async () => {
    const { page } = browser;
    await page.goto('/');
    await page.getByTestId('post-form').waitFor();
    // The old document names an Activity chunk the server no longer has: every request for it from
    // this document is a 404, as after a deploy. A newly loaded document gets it (the "new" build).
    let documents = 0;
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) documents += 1;
    });
    let refused = 0;
    await page.route(/\/assets\/ActivityPage-[^/]+\.js$/, async (route) => {
      if (documents === 0) {
        refused += 1;
        await route.fulfill({ status: 404, contentType: 'text/html', body: 'gone' });
      } else {
        await route.continue();
      }
    });
    await page.evaluate(() => {
      (window as unknown as { beforeDeploy: boolean }).beforeDeploy = true;
    });

    await page.getByTestId('nav-activity').click();
    await page.waitForURL('**/activity');
    await page.getByTestId('stat-messages').first().waitFor();

    expect(refused).toBeGreaterThanOrEqual(1);
    expect(documents).toBe(1);
    // A full page load forgets the window's state: the old tab really reloaded.
    expect(await page.evaluate(() => 'beforeDeploy' in window)).toBe(false);
  });
});
