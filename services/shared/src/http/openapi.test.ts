import { Router, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Health } from '../health.js';
import { createLogger } from '../logger.js';
import { Metrics } from '../metrics.js';
import { createHttpApp } from './app.js';
import { routeOperations } from './openapi.js';
import { listenHttp, type RunningHttpServer } from './server.js';

const operations = {
  getItem: { method: 'get', path: '/items/{id}', request: { params: z.object({ id: z.uuid() }), query: z.strictObject({ full: z.enum(['yes']).optional() }) } },
  putItem: { method: 'put', path: '/items/{id}', request: { params: z.object({ id: z.string() }), body: z.strictObject({ name: z.string().min(1) }) } },
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

  it('when a method or path is not in the table, then nothing serves it (404)', async () => {
    expect((await fetch(`${base}/items/${id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${base}/items`)).status).toBe(404);
  });
});
