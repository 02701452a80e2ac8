import { Router, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { Health } from '../health.js';
import { createLogger } from '../logger.js';
import { Metrics } from '../metrics.js';
import { createHttpApp } from './app.js';
import { routeOperations } from './openapi.js';
import { listenHttp, type RunningHttpServer } from './server.js';

const operations = {
  getItem: { method: 'get', path: '/items/{id}', request: { params: z.object({ id: z.uuid() }), query: z.strictObject({ full: z.enum(['yes']).optional() }) } },
  putItem: { method: 'put', path: '/items/{id}', request: { params: z.object({ id: z.string() }), body: z.strictObject({ name: z.string().min(1) }) } },
  postSecret: { method: 'post', path: '/secrets', request: { body: z.strictObject({ value: z.string() }) } },
} as const;

const logger = createLogger({ service: 'kit-test', level: 'silent' });
let server: RunningHttpServer;
let base: string;
const seen: string[] = [];
const record =
  (step: string): RequestHandler =>
  (_req, _res, next) => {
    seen.push(step);
    next();
  };

beforeAll(async () => {
  const router = Router();
  routeOperations(router, operations, {
    getItem: ({ params, query }, _req, res) => {
      res.json({ id: params.id, full: query.full ?? null });
    },
    putItem: {
      before: [record('before')],
      after: [record('after')],
      handle: ({ params, body }, _req, res) => {
        seen.push('handle');
        res.json({ id: params.id, name: body.name });
      },
    },
    postSecret: {
      // Stands in for authenticate(): the caller brought no credentials.
      before: [
        () => {
          throw new AppError('unauthenticated', 'missing bearer token', { headers: { 'WWW-Authenticate': 'Bearer' } });
        },
      ],
      handle: (_input, _req, res) => {
        res.status(204).end();
      },
    },
  });
  const app = createHttpApp({ logger, metrics: new Metrics('kit-routes-test'), health: new Health(logger) }, (app) => {
    app.use('/api', router);
  });
  server = await listenHttp(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}/api`;
});

afterAll(async () => {
  await server?.close();
});

const id = '0190a6c4-5b3e-7c1d-8e2f-3a4b5c6d7e8f';
const put = (body: string) => fetch(`${base}/items/x`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

describe('routeOperations', () => {
  it('when a request matches its operation, then the handler gets the parsed params, query and body', async () => {
    expect(await (await fetch(`${base}/items/${id}?full=yes`)).json()).toEqual({ id, full: 'yes' });
    seen.length = 0;
    const response = await put('{"name":"Ada"}');
    expect(await response.json()).toEqual({ id: 'x', name: 'Ada' });
    expect(seen).toEqual(['before', 'after', 'handle']);
  });

  it('when a request part breaks its schema, then it is a 400 problem naming each bad field, after `before` and never reaching `after`', async () => {
    const paths = async (response: Response) => {
      expect(response.status).toBe(400);
      return ((await response.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    };
    expect(await paths(await fetch(`${base}/items/not-a-uuid`))).toEqual(['params.id']);
    expect(await paths(await fetch(`${base}/items/${id}?full=no&extra=1`))).toEqual(['query.full', 'query']);

    seen.length = 0;
    const body = await put('{}');
    expect(await paths(body)).toEqual(['body.name']);
    expect(seen).toEqual(['before']);
  });

  it('when the body is malformed, too large or not JSON, then `before` still runs first and the body problem is answered after it', async () => {
    for (const [body, contentType, status] of [
      ['{"name":', 'application/json', 400],
      [JSON.stringify({ name: 'x'.repeat(17 * 1024) }), 'application/json', 413],
      ['name=Ada', 'text/plain', 415],
    ] as const) {
      seen.length = 0;
      const response = await fetch(`${base}/items/x`, { method: 'PUT', headers: { 'content-type': contentType }, body });
      expect(response.status, body.slice(0, 12)).toBe(status);
      expect(seen).toEqual(['before']);
    }
  });

  it('when a caller without credentials sends a malformed body, then the answer is 401, not a body problem (credentials first)', async () => {
    for (const [body, contentType] of [
      ['{"value":', 'application/json'],
      ['value=1', 'text/plain'],
      [JSON.stringify({ value: 'x'.repeat(17 * 1024) }), 'application/json'],
    ] as const) {
      const response = await fetch(`${base}/secrets`, { method: 'POST', headers: { 'content-type': contentType }, body });
      expect(response.status, body.slice(0, 12)).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('when a path is in the table but the method is not, then 405 with Allow listing the methods served there', async () => {
    const response = await fetch(`${base}/items/${id}`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT');
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await response.json()).toMatchObject({ status: 405, type: 'urn:testbed:problem:method-not-allowed' });
    expect((await fetch(`${base}/secrets`, { method: 'GET' })).headers.get('allow')).toBe('POST');
  });

  it('when a second table on the same router serves a path of the first, then routing refuses at start-up', () => {
    const router = Router();
    routeOperations(router, { a: { method: 'get', path: '/x' } }, { a: () => {} });
    expect(() => routeOperations(router, { b: { method: 'post', path: '/x' } }, { b: () => {} })).toThrow(/keep a path's operations in one table/);
  });

  it('when an operation declares no query parameters, then any query parameter is a 400 naming it', async () => {
    const response = await fetch(`${base}/secrets?debug=1`, { method: 'POST' });
    expect(response.status).toBe(401); // credentials are still checked first
    const router = Router();
    routeOperations(router, { ping: { method: 'get', path: '/ping' } }, { ping: (_input, _req, res) => void res.json({ ok: true }) });
    const app = createHttpApp({ logger, metrics: new Metrics('kit-query-test'), health: new Health(logger) }, (app) => void app.use(router));
    const running = await listenHttp(app, 0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${running.port}/ping`;
      expect((await fetch(url)).status).toBe(200);
      const refused = await fetch(`${url}?debug=1`);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ errors: [expect.objectContaining({ path: 'query' })] });
    } finally {
      await running.close();
    }
  });

  it('when a path is not in the table, then nothing serves it (404)', async () => {
    expect((await fetch(`${base}/items`)).status).toBe(404);
  });
});
