import { fileURLToPath } from 'node:url';
import { freePort, startServiceProcess, waitForUrl, type ServiceProcess } from '@testbed/service-kit/testing';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('when the reader of the service log goes away', () => {
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    await service?.stop('SIGKILL');
  });

  it('when stdout and stderr are broken pipes (EPIPE), then the service still serves, and on SIGTERM it shuts down and exits 0', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    service = startServiceProcess(packageDir, {
      PORT: String(port),
      INTERNAL_PORT: String(await freePort()),
      MYSQL_URL: '',
      REDIS_URL: '',
      NATS_URL: '',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      NODE_OPTIONS: `--import=${fileURLToPath(new URL('./support/console-on-sigterm.mjs', import.meta.url))}`,
    });
    await waitForUrl(`${base}/readyz`, { timeoutMs: 30_000, what: 'public-api readiness' });

    // Close the read end of the log pipe, as a log shipper that died would; every later log line is an EPIPE.
    service.child.stdout?.destroy();
    service.child.stderr?.destroy();
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${base}/api/public/messages`);
      expect(response.status).toBe(200);
    }

    service.child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => service?.child.once('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(0);
  });
});
