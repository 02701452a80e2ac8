import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { Health } from './health.js';
import { createLogger } from './logger.js';
import { installShutdown, stopOnce } from './shutdown.js';

const logger = createLogger({ service: 'kit-test', level: 'silent' });

describe('installShutdown', () => {
  it('when triggered, then readiness goes off first, steps run in order, and it exits 0', async () => {
    const health = new Health(logger);
    const order: string[] = [];
    let code: number | undefined;
    const shutdown = installShutdown({
      logger,
      health,
      deadlineMs: 5_000,
      exit: (c) => (code = c),
      steps: [
        { name: 'http', run: async () => order.push(`http:${health.isShuttingDown}`) },
        { name: 'pool', run: async () => order.push('pool') },
      ],
    });
    await shutdown();
    expect(order).toEqual(['http:true', 'pool']);
    expect(code).toBe(0);
  });

  it('when a delay is set, then readiness is already false during it and the steps wait for its end', async () => {
    const health = new Health(logger);
    let stepRan = false;
    const shutdown = installShutdown({
      logger,
      health,
      deadlineMs: 5_000,
      delayMs: 200,
      exit: () => undefined,
      steps: [{ name: 'http', run: async () => void (stepRan = true) }],
    });
    const done = shutdown();
    await sleep(50);
    expect(health.isShuttingDown).toBe(true);
    expect(stepRan).toBe(false);
    await done;
    expect(stepRan).toBe(true);
  });

  it('when a step fails, then later steps still run and it exits 1', async () => {
    const ran: string[] = [];
    let code: number | undefined;
    await installShutdown({
      logger,
      health: new Health(logger),
      deadlineMs: 5_000,
      exit: (c) => (code = c),
      steps: [
        { name: 'bad', run: async () => Promise.reject(new Error('nope')) },
        { name: 'pool', run: async () => ran.push('pool') },
      ],
    })();
    expect(ran).toEqual(['pool']);
    expect(code).toBe(1);
  });

  it('when a step overruns the deadline, then it forces exit 1', async () => {
    const codes: number[] = [];
    void installShutdown({
      logger,
      health: new Health(logger),
      deadlineMs: 50,
      exit: (c) => codes.push(c),
      steps: [{ name: 'stuck', run: () => new Promise(() => {}) }],
    })();
    await sleep(200);
    expect(codes).toEqual([1]);
  });
});

describe('stopOnce', () => {
  it('when called twice, then the steps run once, in order, and both calls get the same promise', async () => {
    const ran: string[] = [];
    const stop = stopOnce(
      [
        { name: 'first', run: async () => ran.push('first') },
        { name: 'second', run: async () => ran.push('second') },
      ],
      logger,
    );
    const [a, b] = [stop(), stop()];
    await Promise.all([a, b]);
    expect(a).toBe(b);
    expect(ran).toEqual(['first', 'second']);
  });

  it('when a step fails, then later steps still run and it rejects with every failure', async () => {
    const ran: string[] = [];
    const stop = stopOnce(
      [
        { name: 'bad', run: async () => Promise.reject(new Error('nope')) },
        { name: 'pool', run: async () => ran.push('pool') },
      ],
      logger,
    );
    const error = await stop().catch((e: unknown) => e);
    expect(ran).toEqual(['pool']);
    expect(error).toBeInstanceOf(AggregateError);
    expect((error as AggregateError).errors).toMatchObject([{ message: 'nope' }]);
  });
});
