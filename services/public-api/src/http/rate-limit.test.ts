import { Writable } from 'node:stream';
import { Metrics, createLogger } from '@testbed/service-kit';
import type { NextFunction, Request, Response } from 'express';
import { describe, expect, it } from 'vitest';
import { rateLimit } from './rate-limit.js';

/** A pino logger whose JSON lines land in `lines`, as a log shipper would receive them. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ service: 'rate-limit-test', level: 'info', destination: sink }), lines };
}

describe('rateLimit logging', () => {
  it('when the store fails, then the log line carries the error with its type, stack and cause, not only its message', async () => {
    const { logger, lines } = capturingLogger();
    const failure = new Error('redis is away', { cause: new Error('connect ECONNREFUSED 127.0.0.1:6379') });
    const middleware = rateLimit({
      store: { hit: () => Promise.reject(failure) },
      limit: 1,
      windowMs: 60_000,
      policy: 'writes',
      logger,
      metrics: new Metrics('rate-limit-test'),
    });
    let passed = false;
    const next: NextFunction = () => void (passed = true);
    await middleware({ ip: '10.0.0.1', socket: {} } as Request, { setHeader: () => undefined } as unknown as Response, next);

    expect(passed).toBe(true);
    const line = lines.find((l) => l['msg'] === 'rate limit store unavailable; allowing requests');
    expect(line?.['err']).toMatchObject({
      type: 'Error',
      message: expect.stringContaining('redis is away'),
      stack: expect.stringContaining('rate-limit.test.ts'),
    });
    expect(JSON.stringify(line?.['err'])).toContain('ECONNREFUSED');
  });
});
