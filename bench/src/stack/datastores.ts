// Private MariaDB, Redis and NATS servers for one bench run: their counters (INFO commandstats,
// SHOW GLOBAL STATUS) then count this run's traffic alone, and nothing collides with the tests
// other people run against the shared servers on 3306/6379/4222.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, privateNatsServer, privateRedisServer, privateServer } from '@testbed/service-kit/testing';

const run = promisify(execFile);

export interface Datastores {
  /** Server URL without a database: mysql://root@127.0.0.1:PORT */
  readonly mysqlServerUrl: string;
  readonly redisUrl: string;
  readonly natsUrl: string;
  stop(): Promise<void>;
}

/** A fresh MariaDB data directory served by `mariadbd` on a free loopback port; root without a password. */
async function privateMariadb(): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'testbed-bench-mariadb-'));
  const dataDir = join(dir, 'data');
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--user=root']);
  const port = await freePort();
  const server = privateServer(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${join(dir, 'mariadb.sock')}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-log-bin',
      '--max-connections=500',
    ],
    port,
  );
  await server.start();
  return {
    url: `mysql://root@127.0.0.1:${port}`,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Starts the three servers side by side. */
export async function startDatastores(): Promise<Datastores> {
  const [mariadb, redis, nats] = await Promise.all([privateMariadb(), privateRedisServer(), privateNatsServer()]);
  await Promise.all([redis.start(), nats.start()]);
  return {
    mysqlServerUrl: mariadb.url,
    redisUrl: redis.url,
    natsUrl: nats.url,
    stop: async () => {
      await Promise.all([mariadb.stop(), redis.stop(), nats.dispose()]);
    },
  };
}
