import { describe, expect, it } from 'vitest';
import { Health } from './health.js';
import { runningService, shutdownSteps } from './lifecycle.js';
import { createLogger } from './logger.js';
import { Metrics } from './metrics.js';

const logger = createLogger({ service: 'kit-test', level: 'silent' });

describe('shutdownSteps', () => {
  it('when run, then readiness goes false first, then entry points, drain and clients, in that order', async () => {
    const health = new Health(logger);
    const order: string[] = [];
    const step = (name: string) => ({ name, run: async () => void order.push(`${name}:${health.isShuttingDown}`) });
    const steps = shutdownSteps(health, {
      entryPoints: [step('http'), step('grpc')],
      drain: [step('relay')],
      clients: [step('nats'), step('mysql')],
    });
    for (const s of steps) await s.run();
    expect(steps.map((s) => s.name)).toEqual(['readiness', 'http + grpc', 'relay', 'nats', 'mysql']);
    expect(order).toEqual(['http:true', 'grpc:true', 'relay:true', 'nats:true', 'mysql:true']);
  });

  it('when one entry point is slow, then the others close at the same time rather than after it', async () => {
    const health = new Health(logger);
    let release: () => void = () => undefined;
    const slow = new Promise<void>((resolve) => (release = resolve));
    let fastClosed = false;
    const [, entryPoints] = shutdownSteps(health, {
      entryPoints: [
        { name: 'slow', run: () => slow },
        { name: 'fast', run: async () => void (fastClosed = true) },
      ],
      clients: [],
    });
    const closing = entryPoints!.run();
    await Promise.resolve();
    expect(fastClosed).toBe(true);
    release();
    await closing;
  });

  it('when an entry point fails, then the others still close and the step rejects with its error', async () => {
    const health = new Health(logger);
    let otherClosed = false;
    const [, entryPoints] = shutdownSteps(health, {
      entryPoints: [
        { name: 'bad', run: async () => Promise.reject(new Error('EBUSY')) },
        { name: 'good', run: async () => void (otherClosed = true) },
      ],
      clients: [],
    });
    await expect(entryPoints!.run()).rejects.toThrow('EBUSY');
    expect(otherClosed).toBe(true);
  });
});

describe('runningService', () => {
  it('when built, then it carries the URL of its port, its extras, and a stop() that runs the plan once', async () => {
    const health = new Health(logger);
    let closed = 0;
    const service = runningService(
      {
        logger,
        health,
        metrics: new Metrics('kit-test'),
        port: 4321,
        shutdown: { entryPoints: [{ name: 'http', run: async () => void (closed += 1) }], clients: [] },
      },
      { grpcPort: 50051 },
    );
    expect(service.url).toBe('http://127.0.0.1:4321');
    expect(service.grpcPort).toBe(50051);
    await Promise.all([service.stop(), service.stop()]);
    expect(closed).toBe(1);
    expect(health.isShuttingDown).toBe(true);
  });
});

describe('Health.onShuttingDown', () => {
  it('when readiness goes false, then listeners run once, however often it is marked', () => {
    const health = new Health(logger);
    let calls = 0;
    health.onShuttingDown(() => (calls += 1));
    health.markShuttingDown();
    health.markShuttingDown();
    expect(calls).toBe(1);
  });
});
