import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit, blocking } from './axe.js';
import { openBrowser, type BrowserSession } from './browser.js';

// The audit itself, on a page of our own: CI once failed because axe measured a Vuetify button's label
// halfway through its fade-in and reported it as too faint.
const FADING_BUTTON = `<!doctype html>
<html lang="en"><head><title>fade</title>
<style>
  button { color: #000; background: #fff; border: 1px solid #000; opacity: 0.15; transition: opacity 3s linear; }
  button.shown { opacity: 1; }
</style></head>
<body><main><h1>Fade</h1><button id="b">Save</button></main></body></html>`;

describe.sequential('the axe audit', () => {
  let browser: BrowserSession;

  beforeAll(async () => {
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('when text is fading in as the audit starts, then it is measured once the transition has finished', async () => {
    const { page } = browser;
    await page.setContent(FADING_BUTTON);
    await audit(page); // loads axe first, so the transition below is still running when the audit starts
    await page.evaluate(() => {
      const button = document.getElementById('b')!;
      // Forces a style flush so the class change below starts a transition instead of jumping to the end.
      void button.getBoundingClientRect();
      button.classList.add('shown');
    });
    expect(await page.evaluate(() => document.getAnimations().length), 'the transition is running').toBe(1);

    expect(blocking(await audit(page))).toEqual([]);
  });

  it('when text stays faint, then the audit still reports its contrast', async () => {
    const { page } = browser;
    await page.setContent(FADING_BUTTON);

    expect((await audit(page)).map((finding) => finding.rule)).toContain('color-contrast');
  });
});
