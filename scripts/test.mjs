#!/usr/bin/env node
// `pnpm test`: every check a change must pass, in one command, ending with one
// `N passed, N failed` line. Static checks count as one test each; the Vitest projects
// (unit, integration against the real servers) count each of their tests.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { changedPaths, treeState } from './tree-state.mjs';

const resultsFile = '.test-results/vitest.json';
const staticChecks = [
  { name: 'lint (eslint)', command: 'pnpm', args: ['run', '--silent', 'lint'] },
  { name: 'lint (buf)', command: 'pnpm', args: ['run', '--silent', 'proto:lint'] },
  { name: 'typecheck', command: 'pnpm', args: ['run', '--silent', 'typecheck'] },
];

// Tests write to ignored folders only: a run that changes a tracked file (as screenshots in docs/ once
// did) or leaves an unignored file behind fails, whatever the tests themselves said.
const treeBefore = treeState();

let passed = 0;
let failed = 0;
const failures = [];

for (const check of staticChecks) {
  console.log(`\n▶ ${check.name}`);
  const { status } = spawnSync(check.command, check.args, { stdio: 'inherit' });
  if (status === 0) {
    passed += 1;
  } else {
    failed += 1;
    failures.push(check.name);
  }
}

console.log('\n▶ vitest (unit + integration)');
rmSync(resultsFile, { force: true });
mkdirSync('.test-results', { recursive: true });
const vitestArgs = ['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${resultsFile}`];
const vitest = spawnSync('pnpm', [...vitestArgs, ...process.argv.slice(2)], { stdio: 'inherit' });

let skipped = 0;
try {
  const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A file that fails to load has no failed tests but must still fail the run.
  const brokenFiles = report.testResults.filter((file) => file.status === 'failed' && file.assertionResults.length === 0);
  failed += brokenFiles.length;
  for (const file of brokenFiles) failures.push(`${file.name} (did not load)`);
  if (report.numFailedTests > 0) failures.push('vitest');
} catch {
  failed += 1;
  failures.push('vitest (no report)');
}
if (vitest.status !== 0 && !failures.some((f) => f.startsWith('vitest') || f.includes('did not load'))) {
  failed += 1;
  failures.push(`vitest exited ${vitest.status}`);
}

const touched = changedPaths(treeBefore, treeState());
console.log(`\n▶ tests leave the work tree unchanged`);
if (touched.length === 0) {
  passed += 1;
} else {
  failed += 1;
  failures.push(`the test run changed ${touched.join(', ')}`);
}

if (failures.length > 0) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed === 0 ? 0 : 1);
