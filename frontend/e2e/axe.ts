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

/** Runs axe-core in the page as it is now and returns its violations, one entry per rule. */
export async function audit(page: Page): Promise<AuditFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) => (window as unknown as { axe: { run: (context: Document, options: object) => Promise<AxeResults> } }).axe.run(document, { runOnly: { type: 'tag', values: tags } }),
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
