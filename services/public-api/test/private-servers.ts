import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@testbed/service-kit/testing';

/** A server only this test talks to, so it can be stopped without disturbing anyone else. */
export interface PrivateServer {
  readonly port: number;
  stop(): Promise<void>;
}

const accepts = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

async function run(command: string, args: string[], port: number): Promise<PrivateServer> {
  const child: ChildProcess = spawn(command, args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(() => accepts(port), { what: `${command} on port ${port}` });
  return {
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** nats-server with JetStream; `storeDir` survives a stop, so a restart keeps the streams. */
export async function startPrivateNats(port: number, storeDir: string): Promise<PrivateServer> {
  return run('nats-server', ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], port);
}

export async function startPrivateRedis(port: number): Promise<PrivateServer> {
  return run('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);
}

export async function makeTempDir(label: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `${label}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
