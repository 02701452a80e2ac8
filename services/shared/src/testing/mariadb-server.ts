import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { privateServer, type PrivateServer } from './private-server.js';
import { freePort } from '../wait.js';

/**
 * A private mariadbd with a data directory of its own, to stop, kill and freeze while the shared
 * server on 3306 keeps serving everyone else. Its data survives a restart, like a real server's.
 */
export interface PrivateMariadbServer extends PrivateServer {
  /** `mysql://root@127.0.0.1:<port>/<database>`: root without a password, as on the shared server. */
  url(database: string): string;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

const run = promisify(execFile);

/**
 * Initialises a data directory with `mariadb-install-db` (root may log in over TCP without a
 * password) and returns the server, not yet started. Small buffers: a test server holds little.
 */
export async function privateMariadbServer(): Promise<PrivateMariadbServer> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'mariadb-'));
  const dataDir = join(dir, 'data');
  // mariadbd refuses to run as root unless told to; as another user it runs as that user anyway.
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run('mariadb-install-db', ['--no-defaults', `--datadir=${dataDir}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...user]);
  const server = privateServer(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${join(dir, 'mariadbd.sock')}`,
      `--pid-file=${join(dir, 'mariadbd.pid')}`,
      '--bind-address=127.0.0.1',
      `--port=${port}`,
      '--skip-log-bin',
      '--innodb-buffer-pool-size=32M',
      '--innodb-log-file-size=16M',
      ...user,
    ],
    port,
    // After a SIGKILL, InnoDB replays its log before it listens again.
    { startTimeoutMs: 60_000 },
  );
  return {
    ...server,
    url: (database) => `mysql://root@127.0.0.1:${port}/${database}`,
    dispose: async () => {
      server.signal('SIGCONT');
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
