// startStack() the way the browser tests use it: real MySQL and Redis, the SPA from an
// upstream (nginx serving the production build there; a stand-in here), ports picked free.
import { randomBytes } from 'node:crypto';
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
      // No NATS: the event-consumer stays off, so this test's events cannot reach other stacks' consumers.
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
    expect(stack.services).toEqual(['auth-service', 'public-api', 'secure-api']);
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
});
