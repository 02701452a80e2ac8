import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  createTestDatabase,
  freePort,
  keepAliveLoad,
  signUpUser,
  startServiceProcess,
  waitForUrl,
  type EmulatorUser,
  type ServiceProcess,
  type TestDatabase,
} from '@testbed/service-kit/testing';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthService, type Neighbour } from './support/services.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
// Long enough for the load to stop starting requests well inside it, as a load balancer does once
// the endpoint is gone; the pods' value is 5000.
const SHUTDOWN_DELAY_MS = 1_500;

describe('secure-api graceful shutdown under keep-alive load', () => {
  let db: TestDatabase;
  let authService: Neighbour;
  let users: EmulatorUser[];
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    db = await createTestDatabase('secure_api_shutdown');
    authService = await startAuthService();
    users = await Promise.all([signUpUser(), signUpUser(), signUpUser(), signUpUser()]);
  });

  afterAll(async () => {
    await service?.stop('SIGKILL');
    await authService?.stop();
    await db?.drop();
  });

  it('when SIGTERM arrives mid-load, then no request fails, every saved profile is stored and nothing else, and it exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = startServiceProcess(packageDir, {
      PORT: String(port),
      AUTH_GRPC_ADDR: authService.address,
      PUBLIC_API_URL: `http://127.0.0.1:${await freePort()}`,
      MYSQL_URL: db.url,
      NATS_URL: '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '10000',
    });
    await waitForUrl(`${base}/readyz`, { timeoutMs: 30_000, what: 'secure-api readiness' });

    const load = keepAliveLoad({
      url: `${base}/api/secure/me`,
      method: 'PUT',
      connections: 8,
      body: (n) => JSON.stringify({ displayName: `shutdown-load-${n}`, bio: '' }),
      headers: (n) => ({ authorization: `Bearer ${users[n % users.length]?.idToken ?? ''}` }),
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

    // Each saved profile wrote its profile.updated event in the same transaction.
    const connection = await createConnection(db.url);
    try {
      const [rows] = await connection.query<RowDataPacket[]>("SELECT payload FROM outbox WHERE event_type = 'testbed.profile.updated'");
      const stored = rows
        .map((row) => {
          const payload = row['payload'] as unknown;
          const event = (typeof payload === 'string' ? JSON.parse(payload) : payload) as { data: { displayName: string } };
          return event.data.displayName;
        })
        .sort();
      const acknowledged = outcome.succeeded.map((body) => (JSON.parse(body) as { displayName: string }).displayName).sort();
      expect(stored).toEqual(acknowledged);
    } finally {
      await connection.end();
    }
  });
});
