// The stack the browser tests drive: the production build of the SPA served by the real nginx
// config, behind the dev gateway, with every service on real MariaDB, Redis and NATS and the Auth
// emulator. Runs as its own process (vitest's global setup spawns it), prints
// `E2E_STACK_READY <url>` once everything answers, and tears it all down on SIGTERM.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createTestDatabase } from '@testbed/service-kit/testing';
import { findNginx, startNginx } from '../../frontend/test/nginx-harness.js';
import { REPO_ROOT, startStack } from './stack.js';

const run = randomBytes(4).toString('hex');
const cleanups: (() => Promise<void> | void)[] = [];

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      process.stderr.write(`e2e stack cleanup: ${String(error)}\n`);
    }
  }
}

async function main(): Promise<void> {
  const nginx = findNginx();
  if (!nginx) throw new Error('nginx is not installed (Debian package "nginx"); .ci/run installs it');

  const buildDir = mkdtempSync(join(tmpdir(), 'e2e-dist-'));
  cleanups.push(() => rmSync(buildDir, { recursive: true, force: true }));
  const build = spawnSync('pnpm', ['exec', 'vite', 'build', '--outDir', buildDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: join(REPO_ROOT, 'frontend'),
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);

  const server = await startNginx(nginx, buildDir);
  cleanups.push(() => server.stop());

  const database = await createTestDatabase('e2e');
  cleanups.push(() => database.drop());

  const stack = await startStack({
    spa: { upstream: server.baseUrl },
    adapters: {
      MYSQL_URL: database.url,
      REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      NATS_URL: process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222',
    },
    ports: 'free',
    // A database of its own and its own auth keys; events use the default stream, as in a cluster
    // (every producer and the consumer must agree on it).
    serviceEnv: { REDIS_KEY_PREFIX: `e2e-${run}:auth:` },
    onUnexpectedExit: (name, reason) => {
      process.stderr.write(`e2e stack: ${name} stopped unexpectedly (${reason})\n`);
    },
  });
  cleanups.push(() => stack.stop());
  process.stdout.write(`E2E_STACK_READY ${stack.url}\n`);
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void cleanUp().then(() => process.exit(0));
  });
}

main().catch(async (error: unknown) => {
  process.stderr.write(`e2e stack failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await cleanUp();
  process.exit(1);
});
