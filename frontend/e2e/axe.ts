import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { AxeResults, ImpactValue, Result } from 'axe-core';

// Evaluated through the DevTools protocol: the app's CSP (script-src 'self') rightly refuses an inline <script>.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The WCAG 2.1 A/AA rules plus Deque's best practices (headings, landmarks). */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'];

export interface AuditFinding {
  readonly rule: string;
  readonly impact: ImpactValue | null | undefined;
  readonly help: string;
  /** CSS selectors of the offending elements. */
  readonly targets: readonly string[];
}

/**
 * Waits until every finite CSS transition and animation in the page has finished (infinite ones, such as a
 * spinner, are left running). axe computes contrast from the colours and opacity painted at that moment, so
 * text caught mid-fade (a Vuetify button leaving its loading state, a counter sliding in) reads as too faint.
 */
async function settleAnimations(page: Page): Promise<void> {
  await page.evaluate(async () => {
    for (let pass = 0; pass < 5; pass += 1) {
      const running = document
        .getAnimations()
        .filter((animation) => animation.playState === 'running' && animation.effect?.getComputedTiming().iterations !== Infinity);
      if (running.length === 0) return;
      await Promise.allSettled(running.map((animation) => animation.finished));
    }
  });
}

/** Runs axe-core in the page once its transitions have finished and returns its violations, one entry per rule. */
export async function audit(page: Page): Promise<AuditFinding[]> {
  await settleAnimations(page);
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
      }),
    TAGS,
  );
  return results.violations.map((violation: Result) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

/** Violations a page must not have: everything serious or critical. */
export const blocking = (findings: readonly AuditFinding[]) => findings.filter((f) => f.impact === 'serious' || f.impact === 'critical');
