import { fileURLToPath } from 'node:url';
import { freePort, startServiceProcess, waitFor } from '@testbed/service-kit/testing';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('the auth-service process', () => {
  it('when NODE_ENV=production and the emulator host is set, then it refuses to start and says why', async () => {
    const service = startServiceProcess(packageDir, {
      NODE_ENV: 'production',
      FIREBASE_PROJECT_ID: 'some-real-project',
      FIREBASE_AUTH_EMULATOR_HOST: '127.0.0.1:9099',
      GRPC_PORT: String(await freePort()),
      PORT: String(await freePort()),
    });

    const code = await service.exited;

    expect(code).toBe(1);
    expect(service.output()).toContain('FIREBASE_AUTH_EMULATOR_HOST: must not be set when NODE_ENV=production');
    expect(service.output()).not.toContain('listening');
  });

  it('when started with its environment, then it logs both ports and exits 0 on SIGTERM', async () => {
    const [grpcPort, httpPort] = [await freePort(), await freePort()];
    const service = startServiceProcess(packageDir, {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      GRPC_PORT: String(grpcPort),
      PORT: String(httpPort),
    });
    try {
      await waitFor(async () => service.output().includes('auth-service listening'), {
        timeoutMs: 20_000,
        what: `the auth-service to start:\n${service.output()}`,
      });
      expect(service.output()).toContain(`"grpcPort":${grpcPort}`);
      expect(service.output()).toContain(`"httpPort":${httpPort}`);
      const healthz = await fetch(`http://127.0.0.1:${httpPort}/healthz`);
      expect(healthz.status).toBe(200);
    } finally {
      await expect(service.stop('SIGTERM')).resolves.toBe(0);
    }
  });
});
