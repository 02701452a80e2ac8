import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateServer, type PrivateServer } from './private-server.js';
import { freePort } from '../wait.js';

/** A private nats-server with JetStream; its store survives a restart (unless wiped), so the streams come back too. */
export interface PrivateNatsServer extends PrivateServer {
  readonly url: string;
  /** The JetStream store directory (`-sd`). */
  readonly storeDir: string;
  /** Empties the store, as a server that lost its disk: streams, consumers and messages are gone. Stop it first. */
  wipeStore(): Promise<void>;
  /** Stops the server and removes its store. */
  dispose(): Promise<void>;
}

export async function privateNatsServer(): Promise<PrivateNatsServer> {
  const port = await freePort();
  const storeDir = await mkdtemp(join(tmpdir(), 'nats-js-'));
  const server = privateServer('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], port);
  return {
    ...server,
    url: `nats://127.0.0.1:${port}`,
    storeDir,
    wipeStore: async () => {
      await rm(storeDir, { recursive: true, force: true });
      await mkdir(storeDir);
    },
    dispose: async () => {
      await server.stop();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
