import { describe, expect, it } from 'vitest';
import { DEFAULT_PORTS } from './ports.js';
import { devServices, gatewayServicePorts } from './services.js';

describe('devServices', () => {
  const ports = { ...DEFAULT_PORTS, authGrpc: 1001, authHttp: 1002, publicApi: 1003, secureApi: 1004, eventConsumer: 1005, publicApiInternal: 1006 };
  const byName = Object.fromEntries(devServices(ports).map((s) => [s.name, s]));

  it('when ports are moved, then every service listens on its own and finds the others on theirs', () => {
    expect(byName['auth-service']?.env).toMatchObject({ GRPC_PORT: '1001', PORT: '1002' });
    expect(byName['public-api']?.env).toMatchObject({
      PORT: '1003',
      INTERNAL_PORT: '1006',
      AUTH_GRPC_ADDR: '127.0.0.1:1001',
      READ_MODELS_URL: 'http://127.0.0.1:1005',
    });
    expect(byName['secure-api']?.env).toMatchObject({ PORT: '1004', AUTH_GRPC_ADDR: '127.0.0.1:1001', PUBLIC_API_URL: 'http://127.0.0.1:1006' });
    expect(byName['event-consumer']?.env).toMatchObject({ PORT: '1005' });
  });

  it('when pnpm dev starts the services, then each binds loopback only and the APIs trust the gateway as one hop', () => {
    for (const service of devServices(ports)) expect(service.env, service.name).toMatchObject({ HOST: '127.0.0.1' });
    expect(byName['public-api']?.env).toMatchObject({ TRUSTED_PROXY_HOPS: '1' });
    expect(byName['secure-api']?.env).toMatchObject({ TRUSTED_PROXY_HOPS: '1' });
  });

  it('when the gateway is wired, then each route-table service maps to its dev port', () => {
    expect(gatewayServicePorts(ports)).toEqual({ 'auth-service': 1001, 'public-api': 1003, 'secure-api': 1004 });
  });
});
