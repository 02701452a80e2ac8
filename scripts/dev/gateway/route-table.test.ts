import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRouteTable, matchRoute, routeTableSchema } from './route-table.js';

describe('manifests/routes.json', () => {
  const table = loadRouteTable();

  it('when loaded, then it is a valid table with the four public prefixes', () => {
    expect(table.routes.map((r) => [r.prefix, r.service, r.port, r.protocol])).toEqual(
      expect.arrayContaining([
        ['/', 'frontend', 8080, 'http'],
        ['/api/public/', 'public-api', 8081, 'http'],
        ['/api/secure/', 'secure-api', 8082, 'http'],
        ['/auth.v1.AuthService/', 'auth-service', 50051, 'grpc-web'],
      ]),
    );
    expect(table.routes).toHaveLength(4);
  });

  it('when a path is matched, then the longest prefix wins and everything else goes to the SPA', () => {
    expect(matchRoute(table.routes, '/api/public/messages?limit=5')?.service).toBe('public-api');
    expect(matchRoute(table.routes, '/api/secure/me')?.service).toBe('secure-api');
    expect(matchRoute(table.routes, '/auth.v1.AuthService/GetSession')?.service).toBe('auth-service');
    expect(matchRoute(table.routes, '/api/publicity')?.service).toBe('frontend');
    expect(matchRoute(table.routes, '/profile')?.service).toBe('frontend');
  });

  it('when a path is a service-to-service route, then the public table never sends it to that service', () => {
    // public-api serves secure-api on /internal/, outside its public prefix.
    expect(matchRoute(table.routes, '/internal/messages')?.service).toBe('frontend');
  });
});

describe('routeTableSchema', () => {
  const route = {
    prefix: '/',
    service: 'frontend',
    port: 8080,
    protocol: 'http',
    upstreamProtocol: 'http1',
    timeouts: { responseMs: 1000, idleMs: 1000 },
    maxRequestBodyBytes: 0,
  };

  it('when a grpc-web route does not go to an h2c upstream, then it is refused', () => {
    const result = routeTableSchema.safeParse({ routes: [route, { ...route, prefix: '/x/', protocol: 'grpc-web' }] });
    expect(result.success).toBe(false);
  });

  it('when two routes share a prefix or the catch-all is missing, then it is refused', () => {
    expect(routeTableSchema.safeParse({ routes: [route, route] }).success).toBe(false);
    expect(routeTableSchema.safeParse({ routes: [{ ...route, prefix: '/api/' }] }).success).toBe(false);
  });

  it('when a file has an unknown field, then loading names it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'routes-')), 'routes.json');
    writeFileSync(file, JSON.stringify({ routes: [{ ...route, rewrite: '/x' }] }));
    expect(() => loadRouteTable(file)).toThrow(/routes\.0/);
  });
});
