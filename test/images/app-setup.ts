import type { TestProject } from 'vitest/node';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { startApp, type RunningApp } from '../../scripts/images/app.js';
import { ensureImages } from '../../scripts/images/build.js';
import { newRunId } from '../../scripts/images/containers.js';
import { freeAppPorts } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The app's origin; frontend/e2e/browser.ts reads it (and declares the same key). */
    e2eBaseUrl?: string;
  }
}

// The whole app from its images, for the browser walk in frontend/e2e: the five containers on the
// real servers behind the dev gateway with the production route table. The closest thing to the
// cluster this machine allows (docs/images.md).
let app: RunningApp | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

export async function setup(project: TestProject): Promise<void> {
  await ensureImages(undefined, { rebuild: process.env['IMAGES_REBUILD'] !== '0' });
  const mysqlUrl = await createDatabase();
  app = await startApp({
    mysqlUrl,
    redisUrl: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
    natsUrl: process.env['TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222',
    emulatorHost: process.env['FIREBASE_AUTH_EMULATOR_HOST'] ?? '127.0.0.1:9099',
    ports: await freeAppPorts(),
    runId: newRunId(),
    // Events use the default stream, as in a cluster: the producers have no topology prefix.
  });
  project.provide('e2eBaseUrl', app.url);
}

export async function teardown(): Promise<void> {
  await app?.stop();
  await dropDatabase?.();
}

/**
 * A database of its own on the test server. Global setup runs outside the workspace's source
 * condition (see test/global-setup.ts), so this uses mysql2 rather than the service kit's helper.
 */
async function createDatabase(): Promise<string> {
  const server = new URL(process.env['TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test');
  const name = `t_images_e2e_${randomBytes(4).toString('hex')}`;
  const admin = new URL(server.href);
  admin.pathname = '/';
  const query = async (sql: string) => {
    const connection = await createConnection(admin.href);
    try {
      await connection.query(sql);
    } finally {
      await connection.end();
    }
  };
  await query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  dropDatabase = () => query(`DROP DATABASE IF EXISTS \`${name}\``);
  server.pathname = `/${name}`;
  return server.href;
}
