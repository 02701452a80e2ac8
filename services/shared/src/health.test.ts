import { describe, expect, it } from 'vitest';
import { Health } from './health.js';
import { createLogger } from './logger.js';

const logger = createLogger({ service: 'kit-test', level: 'silent' });
const up = async () => undefined;
const down = async () => {
  throw new Error('refused');
};

describe('Health', () => {
  it('when every dependency answers, then ready', async () => {
    const health = new Health(logger).addCheck({ name: 'db', critical: true, probe: up });
    expect((await health.readiness()).status).toBe('ready');
  });

  it('when a critical dependency is down, then not ready with the reason', async () => {
    const health = new Health(logger).addCheck({ name: 'db', critical: true, probe: down }).addCheck({ name: 'cache', critical: false, probe: up });
    const report = await health.readiness();
    expect(report.status).toBe('not-ready');
    expect(report.checks['db']).toMatchObject({ status: 'down', error: 'refused' });
  });

  it('when a probe hangs, then it counts as down instead of hanging readiness', async () => {
    const health = new Health(logger).addCheck({ name: 'slow', critical: false, probe: () => new Promise(() => {}) });
    expect((await health.readiness()).status).toBe('degraded');
  });

  it('when shutting down, then not ready even with healthy dependencies', async () => {
    const health = new Health(logger).addCheck({ name: 'db', critical: true, probe: up });
    health.markShuttingDown();
    expect((await health.readiness()).status).toBe('not-ready');
  });
});

describe('Health logging', () => {
  it('when a probe fails, then the log line carries the error object with its stack, not only its message', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) };
    const capturing = createLogger({ service: 'kit-test', level: 'warn', destination });
    await new Health(capturing).addCheck({ name: 'db', critical: true, probe: down }).readiness();
    const line = lines.find((l) => l['msg'] === 'readiness probe failed');
    expect(line?.['err']).toMatchObject({ type: 'Error', message: 'refused', stack: expect.stringContaining('health.test.ts') });
  });
});
