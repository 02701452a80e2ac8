import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

// The stack runs in a process of its own (scripts/dev/e2e-stack.ts): it needs the workspace's
// source condition, and a crash of the stack must not take the test runner with it.
const REPO_ROOT = join(import.meta.dirname, '..', '..');
const START_TIMEOUT_MS = 240_000;
let stack: ChildProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  // Someone pointed the tests at a running app (e.g. `pnpm dev`): use it.
  // (Vitest itself sets BASE_URL to "/", so only a full URL counts.)
  if ([process.env['E2E_BASE_URL'], process.env['BASE_URL']].some((value) => /^https?:\/\//.test(value ?? ''))) return;
  stack = spawn(process.execPath, ['--conditions=@testbed/source', '--import', 'tsx', 'scripts/dev/e2e-stack.ts'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the e2e stack did not start in time')), START_TIMEOUT_MS);
    for (const stream of [stack?.stdout, stack?.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const ready = /^E2E_STACK_READY (\S+)$/.exec(line);
        if (ready?.[1]) {
          clearTimeout(timer);
          resolve(ready[1]);
        }
      });
    }
    stack?.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the e2e stack exited with code ${code}:\n${output.slice(-60).join('\n')}`));
    });
  });
  project.provide('e2eBaseUrl', url);
}

export async function teardown(): Promise<void> {
  if (!stack || stack.exitCode !== null) return;
  const exited = new Promise((resolve) => stack?.once('exit', resolve));
  stack.kill('SIGTERM');
  await Promise.race([exited, sleep(20_000)]);
}
