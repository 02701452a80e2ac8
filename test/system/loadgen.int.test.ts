// `pnpm loadgen` against the whole stack as `pnpm dev` runs it (the dev gateway, the Auth emulator
// behind it, every service on real MySQL and Redis): every flow of every user succeeds.
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { FLOWS, parseLoadgenArgs, runLoad, type Summary } from '@testbed/loadgen';
import { createTestDatabase, type TestDatabase } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../scripts/dev/stack.js';

const USERS = 3;
const VISITS = 2;

describe('pnpm loadgen against the dev stack', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  let stack: Stack;
  let summary: Summary;
  const printed: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase('loadgen');
    stack = await startStack({
      spa: 'placeholder',
      // No NATS: event-consumer keeps its read models in memory, so these events reach no other stack's consumers.
      adapters: { MYSQL_URL: db.url, REDIS_URL: process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379' },
      serviceEnv: { REDIS_KEY_PREFIX: `test-loadgen-${randomBytes(4).toString('hex')}:` },
      ports: 'free',
    });
    // A bounded run: each user makes two visits (sign-up in the first, sign-in in the second), then stops.
    const options = parseLoadgenArgs(['--url', stack.url, '--users', String(USERS), '--iterations', String(VISITS), '--duration', '0', '--think-time', '0']);
    if (!options) throw new Error('unreachable: no --help given');
    try {
      summary = await runLoad(options, { write: (text: string) => printed.push(text) });
    } catch (error) {
      throw new Error(`the load generator could not start: ${String(error)}\n${stack.output()}`, { cause: error });
    }
  }, 120_000);

  afterAll(async () => {
    await stack?.stop();
    await db?.drop();
  });

  it('when every user has made its visits, then every flow ran for every user with no error', () => {
    const context = `${JSON.stringify(summary.topErrors)}\n${stack.output()}`;
    expect(summary.total.errors, context).toBe(0);
    for (const flow of FLOWS) {
      const row = summary.flows.find((f) => f.flow === flow.name);
      expect(row?.ok, `${flow.name} ran fewer times than there are users`).toBeGreaterThanOrEqual(USERS);
      expect(row?.p99Ms).not.toBeNull();
    }
  });

  it('when the users posted, then their messages are in MySQL, one per user and visit', async () => {
    const connection = await createConnection(db.url);
    try {
      const [rows] = await connection.query("SELECT COUNT(*) AS n FROM messages WHERE text LIKE 'loadgen %'");
      expect((rows as { n: number }[])[0]?.n).toBe(USERS * VISITS);
    } finally {
      await connection.end();
    }
  });

  it('when the URL names a host that only --resolve-to leads to, then every flow still reaches the stack (the in-cluster set-up)', async () => {
    // .invalid never resolves (RFC 2606): only the loadgen's own routing can reach the gateway.
    const url = stack.url.replace('127.0.0.1', 'testbed.invalid').replace('localhost', 'testbed.invalid');
    const options = parseLoadgenArgs(['--url', url, '--resolve-to', '127.0.0.1', '--users', '1', '--iterations', '1', '--duration', '0', '--think-time', '0']);
    if (!options) throw new Error('unreachable: no --help given');
    const routed = await runLoad(options, { write: () => true });
    expect(routed.total.errors, JSON.stringify(routed.topErrors)).toBe(0);
    expect(routed.flows.filter((f) => f.ok === 0).map((f) => f.flow)).toEqual(['sign-in']);
  });

  it('when the output is not a terminal, then the run announces itself in plain text', () => {
    expect(printed.join('')).toContain(`loadgen: ${USERS} users against ${stack.url} (Auth emulator at ${stack.url})`);
  });
});
