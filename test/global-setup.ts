import { spawn, type ChildProcess } from 'node:child_process';
import { isEmulatorUp, waitFor } from '@testbed/service-kit/testing';

const EMULATOR_HOST = '127.0.0.1:9099';
let emulator: ChildProcess | undefined;

/** Starts the Firebase Auth emulator once for all integration tests, unless one already runs. */
export async function setup(): Promise<void> {
  if (await isEmulatorUp(EMULATOR_HOST)) return;
  emulator = spawn('pnpm', ['exec', 'firebase', 'emulators:start', '--only', 'auth', '--project', 'demo-testbed'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  emulator.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  emulator.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  try {
    await waitFor(() => isEmulatorUp(EMULATOR_HOST), { timeoutMs: 90_000, intervalMs: 250, what: 'the Auth emulator' });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${output}`, { cause: error });
  }
}

export async function teardown(): Promise<void> {
  if (!emulator?.pid) return;
  const exited = new Promise((resolve) => emulator?.once('exit', resolve));
  process.kill(-emulator.pid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
}
