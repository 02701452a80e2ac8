import { setTimeout as sleep } from 'node:timers/promises';
import { spawn, type ChildProcess } from 'node:child_process';

// Vitest loads global setup outside the workspace's module resolution, so this file sticks to
// Node's own APIs instead of importing the service kit.
const EMULATOR_URL = 'http://127.0.0.1:9099/';
const START_TIMEOUT_MS = 90_000;
let emulator: ChildProcess | undefined;

async function emulatorAnswers(): Promise<boolean> {
  try {
    return (await fetch(EMULATOR_URL, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

/** Starts the Firebase Auth emulator once for all integration tests, unless one already runs. */
export async function setup(): Promise<void> {
  if (await emulatorAnswers()) return;
  emulator = spawn('pnpm', ['exec', 'firebase', 'emulators:start', '--only', 'auth', '--project', 'demo-testbed'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  emulator.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  emulator.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!(await emulatorAnswers())) {
    if (Date.now() > deadline || emulator.exitCode !== null) {
      throw new Error(`the Firebase Auth emulator did not start:\n${output}`);
    }
    await sleep(250);
  }
}

export async function teardown(): Promise<void> {
  if (!emulator?.pid || emulator.exitCode !== null) return;
  const exited = new Promise((resolve) => emulator?.once('exit', resolve));
  process.kill(-emulator.pid, 'SIGTERM');
  await Promise.race([exited, sleep(5_000)]);
}
