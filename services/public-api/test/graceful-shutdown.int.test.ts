import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  freePort,
  keepAliveLoad,
  startServiceProcess,
  waitForUrl,
  type ServiceProcess,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Long enough for the load to stop starting requests well inside it, as a load balancer does once
// the endpoint is gone; the pods' value is 5000.
const SHUTDOWN_DELAY_MS = 1_500;

describe('public-api graceful shutdown under keep-alive load', () => {
  let db: TestDatabase;
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('public_api_shutdown');
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await db?.drop();
  });

  it('when SIGTERM arrives mid-load, then no request fails, every 201 is stored and nothing else, and it exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = startServiceProcess(packageDir, {
      PORT: String(port),
      INTERNAL_PORT: String(await freePort()),
      MYSQL_URL: db.url,
      REDIS_URL: '',
      NATS_URL: '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    await waitForUrl(`${base}/readyz`, { timeoutMs: 30_000, what: 'public-api readiness' });

    const load = keepAliveLoad({
      url: `${base}/api/public/messages`,
      connections: 8,
      body: (n) => JSON.stringify({ text: `shutdown-load-${n}` }),
    });
    await load.until((stats) => stats.completed >= 40);
    const running = service;
    running.child.kill('SIGTERM');
    const completedAtSigterm = load.snapshot().completed;
    // Readiness is false at once; the load balancer stops sending new requests soon after.
    await sleep(SHUTDOWN_DELAY_MS / 3);
    const outcome = await load.stop();
    const code = await running.exited;

    expect(outcome.failures, running.output()).toEqual([]);
    // The load really was running while the service shut down.
    expect(outcome.completed).toBeGreaterThan(completedAtSigterm);
    expect(code, running.output()).toBe(0);

    const connection = await createConnection(db.url);
    try {
      const [rows] = await connection.query<RowDataPacket[]>("SELECT text FROM messages WHERE text LIKE 'shutdown-load-%'");
      const stored = rows.map((row) => String(row['text'])).sort();
      const acknowledged = outcome.succeeded.map((body) => (JSON.parse(body) as { text: string }).text).sort();
      expect(stored).toEqual(acknowledged);
    } finally {
      await connection.end();
    }
  });
});
