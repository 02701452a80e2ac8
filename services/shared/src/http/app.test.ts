import { Writable } from 'node:stream';
import helmet from 'helmet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { Health } from '../health.js';
import { createLogger } from '../logger.js';
import { Metrics } from '../metrics.js';
import { createHttpApp } from './app.js';
import { listenHttp, type RunningHttpServer } from './server.js';
import { parseRequest } from './validate.js';

const logger = createLogger({ service: 'kit-test', level: 'silent' });
let server: RunningHttpServer;
let base: string;
let cacheUp = true;

beforeAll(async () => {
  const health = new Health(logger).addCheck({
    name: 'cache',
    critical: false,
    probe: async () => {
      if (!cacheUp) throw new Error('cache down');
    },
  });
  const app = createHttpApp({ logger, metrics: new Metrics('kit-test'), health }, (app) => {
    app.post('/echo', (req, res) => {
      const body = parseRequest(z.strictObject({ name: z.string().min(1) }), req.body, 'body');
      res.status(201).json(body);
    });
    app.get('/denied', () => {
      throw new AppError('unauthenticated', 'no token', { headers: { 'WWW-Authenticate': 'Bearer' } });
    });
    app.get('/boom', async () => {
      throw new Error('secret internal detail');
    });
    app.get('/database-down', async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    });
    app.get('/pool-full', async () => {
      throw new Error('Queue limit reached.');
    });
    app.get('/data-error', async () => {
      throw Object.assign(new Error("Data too long for column 'x' at row 1"), { code: 'ER_DATA_TOO_LONG', sqlState: '22001' });
    });
  });
  server = await listenHttp(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
});

const post = (body: string, contentType = 'application/json') => fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': contentType }, body });

async function expectProblem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = (await response.json()) as Record<string, unknown>;
  expect(problem).toMatchObject({ status, type: expect.stringMatching(/^urn:testbed:problem:/) });
  expect(JSON.stringify(problem)).not.toMatch(/at .*\.ts:\d+/);
  return problem;
}

describe('createHttpApp', () => {
  it('when the body is valid JSON, then the route sees it parsed', async () => {
    const response = await post(JSON.stringify({ name: 'ada' }));
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: 'ada' });
  });

  it('when the body is not valid JSON, then 400 problem+json', async () => {
    await expectProblem(await post('{"name":'), 400);
  });

  it.each([
    ['null', 'null'],
    ['a string', '"ada"'],
    ['a number', '42'],
  ])('when the body is JSON %s, then 400 says it must be a JSON object (not that it is invalid JSON)', async (_case, body) => {
    expect(await expectProblem(await post(body), 400)).toMatchObject({ detail: 'request body must be a JSON object' });
  });

  it('when the body is not valid UTF-8, then 400 says so, rather than storing U+FFFD in its place', async () => {
    const invalid = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const response = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: invalid });
    expect(await expectProblem(response, 400)).toMatchObject({ detail: 'request body is not valid UTF-8' });
  });

  it('when the body is UTF-8 with multi-byte characters, then it is parsed unchanged', async () => {
    const response = await post(JSON.stringify({ name: 'café 🎉' }));
    expect(await response.json()).toEqual({ name: 'café 🎉' });
  });

  it('when the body is not JSON at all, then 415 before it is read', async () => {
    await expectProblem(await post('name=ada', 'application/x-www-form-urlencoded'), 415);
    await expectProblem(await post('ada', 'text/plain'), 415);
  });

  it('when the body exceeds 16 KiB, then 413', async () => {
    await expectProblem(await post(JSON.stringify({ name: 'x'.repeat(17 * 1024) })), 413);
  });

  it('when fields are wrong or extra, then 400 lists each one', async () => {
    const problem = await expectProblem(await post(JSON.stringify({ name: 7, extra: true })), 400);
    const paths = (problem['errors'] as { path: string }[]).map((e) => e.path);
    expect(paths).toContain('body.name');
    expect(paths.some((p) => p.startsWith('body'))).toBe(true);
  });

  it('when a route throws an AppError, then its kind, message and headers reach the client', async () => {
    const response = await fetch(`${base}/denied`);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await expectProblem(response, 401)).toMatchObject({ detail: 'no token', instance: '/denied' });
  });

  it('when a route fails unexpectedly, then a bare 500 without internals', async () => {
    const problem = await expectProblem(await fetch(`${base}/boom`), 500);
    expect(JSON.stringify(problem)).not.toContain('secret internal detail');
  });

  it('when no route matches, then 404 problem+json', async () => {
    await expectProblem(await fetch(`${base}/nowhere`), 404);
  });

  it('when the client sends a request id, then it is echoed and put in problems', async () => {
    const response = await fetch(`${base}/nowhere`, { headers: { 'x-request-id': 'abc-123' } });
    expect(response.headers.get('x-request-id')).toBe('abc-123');
    expect(await response.json()).toMatchObject({ requestId: 'abc-123' });
  });

  it('when the client sends no request id, then one is made', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('when a non-critical dependency is down, then /readyz says degraded and stays 200', async () => {
    cacheUp = false;
    const response = await fetch(`${base}/readyz`);
    cacheUp = true;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: 'degraded', checks: { cache: { status: 'down' } } });
  });

  it('when scraped, then /metrics has default and HTTP duration metrics', async () => {
    await fetch(`${base}/healthz`);
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(text).toMatch(/process_cpu_user_seconds_total/);
    expect(text).toMatch(/http_server_request_duration_seconds_count\{[^}]*route="\/healthz"/);
  });

  it('sets security headers', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it("sets exactly helmet's headers, though they are computed once", async () => {
    const expected = new Map<string, string>();
    const recorder = { setHeader: (n: string, v: unknown) => expected.set(n.toLowerCase(), String(v)), removeHeader: () => {} };
    helmet()({} as never, recorder as never, () => {});
    expect(expected.size).toBeGreaterThan(5);
    for (const path of ['/healthz', '/nowhere']) {
      const response = await fetch(`${base}${path}`);
      for (const [name, value] of expected) expect(response.headers.get(name), `${path} ${name}`).toBe(value);
    }
  });

  it('when a JSON body is sent, then no ETag is computed and If-None-Match never turns it into a 304', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.headers.get('etag')).toBeNull();
    const again = await fetch(`${base}/healthz`, { headers: { 'if-none-match': 'W/"anything"' } });
    expect(again.status).toBe(200);
  });

  it.each(['/database-down', '/pool-full'])(
    'when a route fails on a dependency (%s), then it is a 503 problem with Retry-After and no internal detail',
    async (path) => {
      const response = await fetch(`${base}${path}`);
      const problem = await expectProblem(response, 503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(JSON.stringify(problem)).not.toMatch(/ECONNREFUSED|Queue limit/);
    },
  );

  it('when a route fails on a data error, then it is a 500 without Retry-After (retrying repeats it)', async () => {
    const response = await fetch(`${base}/data-error`);
    await expectProblem(response, 500);
    expect(response.headers.get('retry-after')).toBeNull();
  });
});

describe('createHttpApp access log', () => {
  let lines: Record<string, unknown>[];
  let logged: RunningHttpServer;
  let loggedBase: string;

  beforeAll(async () => {
    lines = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        callback();
      },
    });
    const infoLogger = createLogger({ service: 'kit-log-test', level: 'info', destination });
    const app = createHttpApp({ logger: infoLogger, metrics: new Metrics('kit-log-test'), health: new Health(infoLogger) }, (app) => {
      app.get('/ok', (_req, res) => res.json({ ok: true }));
      app.get('/boom', async () => {
        throw new Error('boom');
      });
    });
    logged = await listenHttp(app, 0, '127.0.0.1');
    loggedBase = `http://127.0.0.1:${logged.port}`;
  });

  afterAll(async () => {
    await logged.close();
  });

  const accessLines = (id: string) =>
    lines.filter((line) => (line['req'] as { id?: string } | undefined)?.id === id && typeof line['responseTime'] === 'number');

  async function waitForAccessLine(id: string) {
    await expect.poll(() => accessLines(id).length).toBe(1);
    return accessLines(id)[0]!;
  }

  it('when a request completes, then one line carries its id, method, url, status and time, and nothing else about it', async () => {
    await fetch(`${loggedBase}/ok?x=1`, { headers: { 'x-request-id': 'log-ok-1', authorization: 'Bearer secret-token' } });
    const line = await waitForAccessLine('log-ok-1');
    expect(line).toMatchObject({
      level: 30,
      service: 'kit-log-test',
      msg: 'request completed',
      req: { id: 'log-ok-1', method: 'GET', url: '/ok?x=1' },
      res: { statusCode: 200 },
    });
    expect(JSON.stringify(line)).not.toContain('secret-token');
  });

  it('when a request fails with a 5xx, then its line says request errored and the error line has the same request id', async () => {
    await fetch(`${loggedBase}/boom`, { headers: { 'x-request-id': 'log-boom-1' } });
    const line = await waitForAccessLine('log-boom-1');
    expect(line).toMatchObject({ msg: 'request errored', res: { statusCode: 500 } });
    expect(lines.some((l) => l['requestId'] === 'log-boom-1' && l['msg'] === 'unhandled error')).toBe(true);
  });

  it('when probes and scrapes are served, then they are not logged', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) await fetch(`${loggedBase}${path}`, { headers: { 'x-request-id': 'log-probe-1' } });
    await fetch(`${loggedBase}/ok`, { headers: { 'x-request-id': 'log-after-probes' } });
    await waitForAccessLine('log-after-probes');
    expect(accessLines('log-probe-1')).toEqual([]);
  });
});

describe('createHttpApp client address', () => {
  async function ipSeen(trustedProxyHops: number | undefined, forwardedFor: string): Promise<string> {
    const app = createHttpApp(
      { logger, metrics: new Metrics('kit-ip-test'), health: new Health(logger) },
      (app) => app.get('/ip', (req, res) => res.json({ ip: req.ip })),
      trustedProxyHops === undefined ? {} : { trustedProxyHops },
    );
    const running = await listenHttp(app, 0, '127.0.0.1');
    try {
      const response = await fetch(`http://127.0.0.1:${running.port}/ip`, { headers: { 'x-forwarded-for': forwardedFor } });
      return ((await response.json()) as { ip: string }).ip;
    } finally {
      await running.close();
    }
  }

  it('when no proxy hop is trusted (the default), then a made-up X-Forwarded-For is ignored, private ranges included', async () => {
    expect(await ipSeen(undefined, '10.1.2.3')).toBe('127.0.0.1');
    expect(await ipSeen(undefined, '203.0.113.9, 192.168.1.1')).toBe('127.0.0.1');
  });

  it('when one hop is trusted, then the address that hop appended counts, not what the client wrote before it', async () => {
    expect(await ipSeen(1, '203.0.113.9, 10.0.0.7')).toBe('10.0.0.7');
  });
});
