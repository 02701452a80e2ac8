import { request } from 'node:http';
import { isEmulatorUp } from '@testbed/service-kit/testing';
import { freePort } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../gateway/gateway.js';
import { loadRouteTable, type RouteTable } from '../gateway/route-table.js';
import { echo, startUpstream, type TestUpstream } from './upstreams.js';

const EMULATOR_HOST = process.env['FIREBASE_AUTH_EMULATOR_HOST'] ?? '127.0.0.1:9099';

describe('dev gateway, HTTP routes', { timeout: 30_000 }, () => {
  let publicApi: TestUpstream;
  let secureApi: TestUpstream;
  let spa: TestUpstream;
  let gateway: Gateway;
  let releaseStream: () => void = () => {};
  const streamReleased = new Promise<void>((resolve) => (releaseStream = resolve));

  beforeAll(async () => {
    publicApi = await startUpstream((req, res) => {
      if (req.url === '/api/public/stream') {
        // The second half is only written after the test has read the first: a buffering proxy hangs here.
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        void streamReleased.then(() => res.end('second'));
        return;
      }
      echo(req, res);
    });
    secureApi = await startUpstream(echo);
    spa = await startUpstream((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><title>spa</title>${req.url}`);
    });
    gateway = await startGateway({
      port: 0,
      spa: { upstream: `http://127.0.0.1:${spa.port}` },
      emulatorHost: EMULATOR_HOST,
      servicePorts: { 'public-api': publicApi.port, 'secure-api': secureApi.port },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([publicApi?.stop(), secureApi?.stop(), spa?.stop()]);
  });

  it('when an /api/ path matches no API prefix, then the gateway answers a 404 problem instead of passing it to the SPA', async () => {
    for (const path of ['/api/publicx/messages', '/api/unknown', '/api/']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type'), path).toMatch(/^application\/problem\+json/);
      expect(await response.json(), path).toMatchObject({ status: 404, detail: 'no route matches this path' });
    }
    expect(await (await fetch(`${gateway.url}/apixyz`)).text()).toContain('<title>spa</title>');
  });

  it('when a request matches an API prefix, then it reaches that service with its path and the forwarded headers', async () => {
    const response = await fetch(`${gateway.url}/api/secure/me?x=1`, { headers: { 'x-request-id': 'req-123', authorization: 'Bearer t' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    const seen = (await response.json()) as { url: string; headers: Record<string, string> };
    expect(seen.url).toBe('/api/secure/me?x=1');
    expect(seen.headers).toMatchObject({
      'x-request-id': 'req-123',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': new URL(gateway.url).host,
      authorization: 'Bearer t',
    });
  });

  it('when a request has no usable request id, then the gateway makes one and the upstream and the client see it', async () => {
    const response = await fetch(`${gateway.url}/api/public/messages`, { headers: { 'x-request-id': 'bad id with spaces' } });
    const seen = (await response.json()) as { headers: Record<string, string> };
    expect(seen.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(seen.headers['x-request-id']);
  });

  it('when bodies are large or slow, then they stream through in both directions', async () => {
    const posted = await fetch(`${gateway.url}/api/public/messages`, { method: 'POST', body: 'x'.repeat(60_000) });
    expect(((await posted.json()) as { bytes: number }).bytes).toBe(60_000);

    const response = await fetch(`${gateway.url}/api/public/stream`);
    // Decoded as a stream: the fetch types give the body's chunks as `any`, the decoder's are strings.
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const first = await reader.read();
    expect(first.value).toBe('first;');
    releaseStream();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += chunk.value;
    expect(rest).toBe('second');
  });

  it('when a body is larger than the route allows, then the gateway answers 413 whether or not it declared a length', async () => {
    const declared = await fetch(`${gateway.url}/api/public/messages`, { method: 'POST', body: 'x'.repeat(70_000) });
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toBe('application/problem+json');

    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i += 1) controller.enqueue(new Uint8Array(10_000));
        controller.close();
      },
    });
    const streamed = await fetch(`${gateway.url}/api/public/messages`, { method: 'POST', body: chunks, duplex: 'half' });
    expect(streamed.status).toBe(413);
  });

  it('when a path is not an API, then it goes to the SPA upstream unchanged', async () => {
    const response = await fetch(`${gateway.url}/profile?tab=1`);
    expect(response.headers.get('content-type')).toBe('text/html');
    expect(await response.text()).toContain('/profile?tab=1');
  });

  it("when the SPA asks for /config.json, then it gets the emulator config for the page's own origin", async () => {
    const config = (await (await fetch(`${gateway.url}/config.json`)).json()) as Record<string, unknown>;
    expect(config).toEqual({
      firebase: { apiKey: 'demo-api-key', authDomain: 'localhost', projectId: 'demo-testbed' },
      authEmulatorUrl: '/',
    });
  });

  it('when /config.json is asked for with a foreign Host header, then nothing of that host is in the answer', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${gateway.url}/config.json`, { headers: { host: 'evil.example:8080' } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject).end();
    });
    expect(body).not.toContain('evil.example');
    expect((JSON.parse(body) as { authEmulatorUrl: unknown }).authEmulatorUrl).toBe('/');
  });

  it('when the SPA calls the Auth emulator on its own origin, then the call reaches the emulator', async () => {
    expect(await isEmulatorUp(EMULATOR_HOST)).toBe(true);
    const response = await fetch(`${gateway.url}/emulator/v1/projects/demo-testbed/config`);
    expect(response.status).toBe(200);
    const signUp = await fetch(`${gateway.url}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `gw-${Date.now()}@example.test`, password: 'secret-123', returnSecureToken: true }),
    });
    expect(signUp.status).toBe(200);
    expect(((await signUp.json()) as { idToken?: string }).idToken).toBeTruthy();
  });
});

describe('dev gateway, failing upstreams', { timeout: 30_000 }, () => {
  it('when a service is not listening, then the gateway answers 503 problem+json with Retry-After and the request id', async () => {
    const gateway = await startGateway({ port: 0, spa: 'placeholder', emulatorHost: EMULATOR_HOST, servicePorts: { 'public-api': await freePort() } });
    try {
      const response = await fetch(`${gateway.url}/api/public/messages`, { headers: { 'x-request-id': 'down-1' } });
      expect(response.status).toBe(503);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.json()).toMatchObject({ status: 503, requestId: 'down-1', instance: '/api/public/messages' });
    } finally {
      await gateway.close();
    }
  });

  it('when upstreams are not listening yet, then their routes answer 503 with Retry-After until each starts, then forward', async () => {
    const [apiPort, emulatorPort] = [await freePort(), await freePort()];
    const gateway = await startGateway({
      port: 0,
      spa: 'placeholder',
      emulatorHost: `127.0.0.1:${emulatorPort}`,
      servicePorts: { 'public-api': apiPort },
    });
    const upstreams: TestUpstream[] = [];
    try {
      const signUpUrl = `${gateway.url}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-api-key`;
      for (const url of [`${gateway.url}/api/public/messages`, signUpUrl]) {
        const early = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        expect(early.status, url).toBe(503);
        expect(early.headers.get('retry-after'), url).toBe('1');
        expect(early.headers.get('content-type'), url).toBe('application/problem+json');
      }

      upstreams.push(await startUpstream(echo, apiPort));
      expect((await fetch(`${gateway.url}/api/public/messages`)).status).toBe(200);
      // The emulator's route still waits for the emulator.
      expect((await fetch(signUpUrl, { method: 'POST', body: '{}' })).status).toBe(503);
      upstreams.push(await startUpstream(echo, emulatorPort));
      const signUp = await fetch(signUpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(signUp.status).toBe(200);
      expect(((await signUp.json()) as { url: string }).url).toContain('accounts:signUp');
    } finally {
      await gateway.close();
      await Promise.all(upstreams.map((u) => u.stop()));
    }
  });

  it('when a ready service drops the connection mid-request, then the gateway answers 502 problem+json', async () => {
    const rude = await startUpstream((req) => req.socket.destroy());
    const gateway = await startGateway({ port: 0, spa: 'placeholder', emulatorHost: EMULATOR_HOST, servicePorts: { 'public-api': rude.port } });
    try {
      const response = await fetch(`${gateway.url}/api/public/messages`);
      expect(response.status).toBe(502);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    } finally {
      await gateway.close();
      await rude.stop();
    }
  });

  it('when a service does not answer within the route timeout, then the gateway answers 504', async () => {
    const silent = await startUpstream(() => {});
    const table = loadRouteTable();
    const routes: RouteTable = {
      routes: table.routes.map((r) => (r.service === 'public-api' ? { ...r, timeouts: { responseMs: 300, idleMs: 10_000 } } : r)),
    };
    const gateway = await startGateway({ port: 0, spa: 'placeholder', emulatorHost: EMULATOR_HOST, routes, servicePorts: { 'public-api': silent.port } });
    try {
      const response = await fetch(`${gateway.url}/api/public/messages`);
      expect(response.status).toBe(504);
      expect(((await response.json()) as { title: string }).title).toBe('Gateway Timeout');
    } finally {
      await gateway.close();
      await silent.stop();
    }
  });

  it('when the SPA is not built yet, then / shows a placeholder page that says why', async () => {
    const gateway = await startGateway({ port: 0, spa: 'placeholder', emulatorHost: EMULATOR_HOST });
    try {
      const response = await fetch(`${gateway.url}/`);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('frontend/');
    } finally {
      await gateway.close();
    }
  });
});
