#!/usr/bin/env node
// `pnpm docs:images`: refresh the screenshots the README shows. The browser tests save them to the
// git-ignored .test-results/screenshots/ (a test run never changes tracked files); this copies the
// ones docs/images/ already has, so a new screenshot joins the docs only when someone adds it there.
import { copyFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const from = '.test-results/screenshots';
const to = 'docs/images';

const wanted = readdirSync(to).filter((name) => name.endsWith('.png'));
const missing = wanted.filter((name) => !existsSync(join(from, name)));
if (missing.length > 0) {
  console.error(`not taken by the browser tests: ${missing.join(', ')} (did \`vitest run --project e2e\` pass?)`);
  process.exit(1);
}
for (const name of wanted) copyFileSync(join(from, name), join(to, name));
console.log(`${wanted.length} screenshots copied from ${from}/ to ${to}/`);
