import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { H2SessionPool } from '../gateway/grpc-web/h2-session-pool.js';

describe('H2SessionPool', { timeout: 15_000 }, () => {
  let server: Http2Server;
  let origin: string;
  const serverSessions: ServerHttp2Session[] = [];

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    server.on('session', (session) => serverSessions.push(session));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const session of serverSessions) session.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (pool: H2SessionPool) =>
    new Promise<number>((resolve, reject) => {
      const stream = pool.session(origin).request({ ':path': '/' });
      stream.on('response', (headers) => resolve(Number(headers[':status'])));
      stream.on('error', reject);
      stream.resume();
      stream.end();
    });

  it('when calls follow one another, then they share one connection', async () => {
    const pool = new H2SessionPool(10_000);
    await Promise.all([get(pool), get(pool), get(pool)]);
    await get(pool);
    expect(pool.connects).toBe(1);
    pool.close();
  });

  it('when the server sends GOAWAY, then the next call opens a new connection', async () => {
    const pool = new H2SessionPool(10_000);
    expect(await get(pool)).toBe(200);
    const before = serverSessions.length;
    const goaway = new Promise((resolve) => pool.session(origin).once('goaway', resolve));
    serverSessions.at(-1)?.goaway();
    await goaway;
    expect(await get(pool)).toBe(200);
    expect(pool.connects).toBe(2);
    expect(serverSessions.length).toBe(before + 1);
    pool.close();
  });
});
