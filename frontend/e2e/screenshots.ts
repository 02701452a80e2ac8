import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

/**
 * Where the browser tests save screenshots: a git-ignored folder, so a test run never changes a
 * tracked file. `pnpm docs:images` copies them into docs/images/ when the docs should show a new look.
 */
export const SCREENSHOT_DIR = new URL('../../.test-results/screenshots/', import.meta.url);

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOT_DIR).pathname, fullPage: true, animations: 'disabled' });
}
