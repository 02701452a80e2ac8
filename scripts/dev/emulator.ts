// The Firebase Auth emulator for the local stack: the one already running on the port is
// reused (tests and an earlier session often have one up), otherwise one is started.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { portFree } from './ports.js';
import type { ProcessGroup } from './processes.js';
import { waitUntilReady } from './readiness.js';

export const EMULATOR_PROJECT_ID = 'demo-testbed';
const DEFAULT_EMULATOR_PORT = 9099;
const START_TIMEOUT_MS = 90_000;

/** True when the Auth emulator (not just anything) answers on that host:port. */
export async function isAuthEmulator(host: string): Promise<boolean> {
  try {
    const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
    const body = (await response.json()) as { authEmulator?: { ready?: boolean } };
    return body.authEmulator?.ready === true;
  } catch {
    return false;
  }
}

export interface EmulatorHandle {
  readonly host: string;
  /** False when an emulator that was already running is used. */
  readonly started: boolean;
}

export async function ensureAuthEmulator(root: string, port: number, processes: ProcessGroup): Promise<EmulatorHandle> {
  const host = `127.0.0.1:${port}`;
  if (await isAuthEmulator(host)) return { host, started: false };
  if (!(await portFree(port))) {
    throw new Error(`port ${port} is in use by something that is not the Firebase Auth emulator; stop it or set AUTH_EMULATOR_PORT`);
  }
  const args = ['emulators:start', '--only', 'auth', '--project', EMULATOR_PROJECT_ID];
  // firebase.json pins 9099; another port needs a config of its own.
  if (port !== DEFAULT_EMULATOR_PORT) args.push('--config', emulatorConfigFile(port));
  const child = processes.run('auth-emulator', join(root, 'node_modules', '.bin', 'firebase'), args, { cwd: root, env: process.env });
  await waitUntilReady('the Firebase Auth emulator', `http://${host}/`, child, START_TIMEOUT_MS);
  return { host, started: true };
}

function emulatorConfigFile(port: number): string {
  const file = join(mkdtempSync(join(tmpdir(), 'testbed-emulator-')), 'firebase.json');
  writeFileSync(file, JSON.stringify({ emulators: { auth: { host: '127.0.0.1', port }, ui: { enabled: false }, singleProjectMode: true } }));
  return file;
}
