import { join } from 'node:path';
import { isEmulatorUp, waitFor } from '@testbed/service-kit/testing';
import { REPO_ROOT } from '../paths.js';
import { spawnLogged } from './process.js';

const START_TIMEOUT_MS = 90_000;

/**
 * The Firebase Auth emulator the tokens come from: the one already on `host` is reused (tests and
 * `pnpm dev` keep one up on 127.0.0.1:9099), otherwise one is started as test/global-setup.ts does.
 * Returns a stop function for an emulator this call started (a no-op otherwise).
 */
export async function ensureAuthEmulator(host: string, logFile: string): Promise<() => Promise<void>> {
  if (await isEmulatorUp(host)) return async () => {};
  const child = spawnLogged(
    'auth-emulator',
    join(REPO_ROOT, 'node_modules', '.bin', 'firebase'),
    ['emulators:start', '--only', 'auth', '--project', 'demo-testbed'],
    {
      cwd: REPO_ROOT,
      env: process.env,
      logFile,
    },
  );
  await waitFor(
    async () => {
      if (!child.alive()) throw new Error(`the Auth emulator exited; see ${logFile}`);
      return isEmulatorUp(host);
    },
    { timeoutMs: START_TIMEOUT_MS, what: `the Auth emulator on ${host} (log: ${logFile})` },
  );
  return () => child.stop();
}
