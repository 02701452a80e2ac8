import { privateServer, type PrivateServer } from './private-server.js';
import { freePort } from '../wait.js';

/** A private redis-server that keeps nothing on disk: a restart comes back empty. */
export interface PrivateRedisServer extends PrivateServer {
  readonly url: string;
}

export async function privateRedisServer(): Promise<PrivateRedisServer> {
  const port = await freePort();
  const server = privateServer('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], port);
  return { ...server, url: `redis://127.0.0.1:${port}` };
}
