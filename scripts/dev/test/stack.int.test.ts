// startStack() the way the browser tests use it: real MySQL and Redis, the SPA from an
// upstream (nginx serving the production build there; a stand-in here), ports picked free.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { createConnection } from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../stack.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

describe('startStack with real servers and an SPA upstream', { timeout: 60_000 }, () => {
  let db: TestDatabase;
  let spa: TestUpstream;
  let stack: Stack;

  beforeAll(async () => {
    db = await createTestDatabase('dev-stack');
    spa = await startUpstream((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>production build</title>');
    });
    stack = await startStack({
      spa: { upstream: `http://127.0.0.1:${spa.port}` },
      // No NATS: event-consumer keeps its read models in memory, so this test's events reach no other stack's consumers.
      adapters: { MYSQL_URL: db.url, REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379' },
      serviceEnv: { REDIS_KEY_PREFIX: `test-${randomBytes(4).toString('hex')}:` },
      ports: 'free',
    });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
    await spa?.stop();
    await db?.drop();
  });

  it('when started, then it reports the real servers in use and the services it runs', () => {
    expect(stack.adapters).toBe('MySQL 127.0.0.1:3306, Redis 127.0.0.1:6379, NATS in-memory');
    expect(stack.services).toEqual(['auth-service', 'public-api', 'secure-api', 'event-consumer']);
    expect(stack.spa).toContain(`127.0.0.1:${spa.port}`);
  });

  it('when the page is requested, then the SPA upstream serves it through the gateway', async () => {
    expect(await (await fetch(`${stack.url}/`)).text()).toContain('production build');
  });

  it('when a message is posted through the gateway, then it is stored in MySQL', async () => {
    const text = `stack test ${randomBytes(4).toString('hex')}`;
    const posted = await fetch(`${stack.url}/api/public/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
    expect(posted.status, stack.output()).toBe(201);
    const connection = await createConnection(db.url);
    try {
      const [rows] = await connection.query('SELECT text FROM messages WHERE text = ?', [text]);
      expect(rows).toHaveLength(1);
    } finally {
      await connection.end();
    }
  });

  it('when 40 writes come through the gateway, each with a made-up X-Forwarded-For, then the 31st is a 429', async () => {
    // A loopback source address of its own (all of 127/8 is loopback), so no other test shares its budget.
    const [a, b, c] = randomBytes(3);
    const localAddress = `127.${a}.${b}.${Math.max(2, c ?? 2)}`;
    const statuses: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      statuses.push(
        await postFrom(localAddress, `${stack.url}/api/public/messages`, JSON.stringify({ text: `spoofed ${i}` }), {
          'x-forwarded-for': `203.0.113.${i + 1}`,
          'x-real-ip': `198.51.100.${i + 1}`,
          forwarded: `for=192.0.2.${i + 1}`,
        }),
      );
    }
    expect(statuses.slice(0, 30), stack.output()).toEqual(Array(30).fill(201));
    expect(statuses.slice(30)).toEqual(Array(10).fill(429));
  });

  it('when the stack runs, then no service answers on a non-loopback address of this machine', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((info) => info && info.family === 'IPv4' && !info.internal)?.address;
    expect(address, 'this test needs a non-loopback IPv4 address').toBeDefined();
    const { gateway, authGrpc, authHttp, publicApi, secureApi } = stack.ports;
    for (const port of [gateway, authGrpc, authHttp, publicApi, secureApi]) {
      expect(await accepts(address!, port), `${address}:${port}`).toBe(false);
      expect(await accepts('127.0.0.1', port), `127.0.0.1:${port}`).toBe(true);
    }
  });
});

function postFrom(localAddress: string, url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject).end(body);
  });
}

function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(2_000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
