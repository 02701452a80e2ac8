// `pnpm dev`: the whole app on one laptop with nothing but Node. Starts the Firebase Auth
// emulator and every service, in-memory adapters unless MYSQL_URL / REDIS_URL / NATS_URL are set
// (in the environment or in .env), with combined readable logs; Ctrl-C stops everything.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { formatLine } from './log-format.js';
import { EMULATOR_HOST, EMULATOR_PORT, devServices, type DevService } from './services.js';

const root = join(import.meta.dirname, '..', '..');
const useColour = process.stdout.isTTY;
const COLOURS = [36, 35, 34, 32, 33, 96, 95];
const STOP_GRACE_MS = 10_000;
const children: { name: string; child: ChildProcess }[] = [];
let stopping = false;

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolve(true)));
  });
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

async function waitUntilReady(name: string, url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await answers(url))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} before it was ready`);
    if (Date.now() > deadline) throw new Error(`${name} was not ready within ${timeoutMs / 1000}s (${url})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function run(name: string, command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): ChildProcess {
  const colour = COLOURS[children.length % COLOURS.length] ?? 36;
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim()) process.stdout.write(`${formatLine(name, colour, line, useColour)}\n`);
    });
  }
  child.once('exit', (code, signal) => {
    if (!stopping) {
      process.stdout.write(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything\n`);
      void stopAll(1);
    }
  });
  children.push({ name, child });
  return child;
}

async function stopAll(exitCode: number): Promise<never> {
  stopping = true;
  const exits = children
    .filter(({ child }) => child.exitCode === null && child.signalCode === null)
    .map(({ child }) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Signal the whole process group: pnpm/firebase wrappers pass nothing on reliably.
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      return exited;
    });
  const timer = setTimeout(() => {
    for (const { child } of children) if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  }, STOP_GRACE_MS);
  await Promise.all(exits);
  clearTimeout(timer);
  process.exit(exitCode);
}

async function main(): Promise<void> {
  const started = performance.now();
  if (existsSync(join(root, '.env'))) process.loadEnvFile(join(root, '.env'));
  const env = process.env;
  const servers = { MySQL: env['MYSQL_URL'], Redis: env['REDIS_URL'], NATS: env['NATS_URL'] };
  const externalEmulator = env['FIREBASE_AUTH_EMULATOR_HOST'] !== undefined && env['FIREBASE_AUTH_EMULATOR_HOST'] !== EMULATOR_HOST;

  const services = devServices.filter(
    (service: DevService) =>
      existsSync(join(root, service.dir, 'src', 'main.ts')) && (service.needs ?? []).every((key) => env[key]),
  );
  const wanted = [
    ...(externalEmulator ? [] : [{ port: EMULATOR_PORT, owner: 'Firebase Auth emulator' }]),
    ...services.flatMap((s) => s.ports.map((port) => ({ port, owner: s.name }))),
  ];
  const busy = [];
  for (const { port, owner } of wanted) if (!(await portFree(port))) busy.push(`  port ${port} (${owner})`);
  if (busy.length > 0) {
    process.stderr.write(
      `pnpm dev needs these ports, but something is already listening on them:\n${busy.join('\n')}\n` +
        'Stop whatever holds them (e.g. `lsof -i :PORT`, or an earlier `pnpm dev`) and try again.\n',
    );
    process.exit(1);
  }

  process.once('SIGINT', () => void stopAll(0));
  process.once('SIGTERM', () => void stopAll(0));

  const emulatorHost = externalEmulator ? String(env['FIREBASE_AUTH_EMULATOR_HOST']) : EMULATOR_HOST;
  if (!externalEmulator) {
    const emulator = run('auth-emulator', 'pnpm', ['exec', 'firebase', 'emulators:start', '--only', 'auth', '--project', 'demo-testbed'], {
      cwd: root,
      env,
    });
    await waitUntilReady('the Firebase Auth emulator', `http://${EMULATOR_HOST}/`, emulator, 90_000);
  }

  const serviceEnv = {
    ...env,
    NODE_ENV: 'development',
    FIREBASE_PROJECT_ID: env['FIREBASE_PROJECT_ID'] ?? 'demo-testbed',
    FIREBASE_AUTH_EMULATOR_HOST: emulatorHost,
  };
  await Promise.all(
    services.map((service) => {
      const child = run(service.name, 'pnpm', ['start'], { cwd: join(root, service.dir), env: { ...serviceEnv, ...service.env } });
      return waitUntilReady(service.name, service.readyUrl, child, 60_000);
    }),
  );

  const adapters = Object.entries(servers)
    .map(([name, url]) => `${name}: ${url ? new URL(url).host : 'in-memory'}`)
    .join(', ');
  process.stdout.write(
    [
      '',
      `testbed is up in ${((performance.now() - started) / 1000).toFixed(1)}s`,
      ...services.map((s) => `  ${s.name.padEnd(15)} ${s.readyUrl.replace('/healthz', '')}`),
      `  auth emulator   http://${emulatorHost}`,
      `  adapters        ${adapters}`,
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`pnpm dev failed: ${error instanceof Error ? error.message : String(error)}\n`);
  void stopAll(1);
});
