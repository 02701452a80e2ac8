import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TimeoutError, freePorts, urlAnswers, waitFor, waitForUrl, withTimeout } from './wait.js';

describe('withTimeout', () => {
  it('when the promise settles in time, then it settles the same way', async () => {
    await expect(withTimeout(Promise.resolve(7), 1_000, 'the answer')).resolves.toBe(7);
    await expect(withTimeout(Promise.reject(new Error('refused')), 1_000, 'the answer')).rejects.toThrow('refused');
  });

  it('when the promise is too slow, then it rejects with a TimeoutError that names what was slow', async () => {
    const error = await withTimeout(new Promise(() => {}), 20, 'the publish').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('the publish took longer than 20 ms');
  });

  it('when given an Error, then that error is the rejection', async () => {
    const mine = new RangeError('too slow for me');
    await expect(withTimeout(new Promise(() => {}), 20, mine)).rejects.toBe(mine);
  });
});

describe('freePorts', () => {
  it('when asked for several, then they differ and each can be listened on', async () => {
    const ports = await freePorts(5);
    expect(new Set(ports).size).toBe(5);
    const servers = await Promise.all(
      ports.map(
        (port) =>
          new Promise<Server>((resolve, reject) => {
            const server = createServer();
            server.once('error', reject);
            server.listen(port, '127.0.0.1', () => resolve(server));
          }),
      ),
    );
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });
});

describe('urlAnswers and waitForUrl', () => {
  let server: Server;
  let base: string;
  let healthy = false;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/hang') return;
      res.statusCode = healthy ? 200 : 503;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('when the URL answers 2xx, non-2xx, never or nothing listens, then only 2xx counts', async () => {
    const [closed] = await freePorts(1);
    healthy = true;
    expect(await urlAnswers(`${base}/readyz`)).toBe(true);
    healthy = false;
    expect(await urlAnswers(`${base}/readyz`)).toBe(false);
    expect(await urlAnswers(`${base}/hang`, 50)).toBe(false);
    expect(await urlAnswers(`http://127.0.0.1:${closed}/`)).toBe(false);
  });

  it('when the URL starts answering later, then waitForUrl resolves', async () => {
    healthy = false;
    setTimeout(() => (healthy = true), 150);
    await waitForUrl(`${base}/readyz`, { timeoutMs: 5_000, intervalMs: 20 });
  });

  it('when it never answers, then waitForUrl rejects with a TimeoutError naming it', async () => {
    healthy = false;
    await expect(waitForUrl(`${base}/readyz`, { timeoutMs: 100, intervalMs: 20, what: 'the test server' })).rejects.toThrow(
      /timed out waiting for the test server/,
    );
  });

  it('when giveUp names a reason, then waiting stops at once with that reason', async () => {
    const started = Date.now();
    await expect(waitFor(async () => false, { timeoutMs: 5_000, giveUp: () => 'the process exited' })).rejects.toThrow('the process exited');
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('waitFor over many polls', () => {
  it('when the condition takes more than ten polls, then no listener piles up (no MaxListenersExceededWarning)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      let polls = 0;
      await waitFor(async () => ++polls >= 30, { intervalMs: 1, timeoutMs: 10_000 });
      // Warnings are emitted on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.filter((w) => w.startsWith('MaxListenersExceededWarning'))).toEqual([]);
  });
});
