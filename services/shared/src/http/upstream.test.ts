import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { freePort } from '../wait.js';
import { UpstreamProblems } from './upstream.js';

// Stands in for the upstream service: answers every request with the status, headers and body the test sets.
let answer: { status: number; headers?: Record<string, string>; body?: unknown } = { status: 200 };
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** A GET through openapi-fetch with `problems` installed, as the services' clients make it (untyped paths: the types are not under test). */
async function get(problems: UpstreamProblems, url = baseUrl): Promise<unknown> {
  const client = createClient<Record<string, never>>({ baseUrl: url });
  client.use(problems.middleware);
  const { data } = await problems.guard((client as unknown as { GET: (path: string) => Promise<{ data: unknown }> }).GET('/thing'));
  return problems.checked(data, z.object({ ok: z.literal(true) }));
}

const options = { name: 'upstream', description: 'the thing service', retryAfterS: 5 };

describe('UpstreamProblems', () => {
  it('when the upstream answers a 4xx problem, then the same status, detail, field errors and Retry-After are passed on', async () => {
    answer = {
      status: 429,
      headers: { 'retry-after': '9' },
      body: { status: 429, detail: 'slow down', errors: [{ path: 'query.limit', message: 'too big' }] },
    };
    await expect(get(new UpstreamProblems(options))).rejects.toMatchObject({
      kind: 'resource-exhausted',
      message: 'slow down',
      headers: { 'Retry-After': '9' },
      errors: [{ path: 'query.limit', message: 'too big' }],
    });
  });

  it('when the upstream answers 500, then it is a 500 by default and a 503 with Retry-After where every 5xx is retryable', async () => {
    answer = { status: 500 };
    await expect(get(new UpstreamProblems(options))).rejects.toMatchObject({ kind: 'internal' });
    await expect(get(new UpstreamProblems({ ...options, retryable: (status) => status >= 500 }))).rejects.toMatchObject({
      kind: 'unavailable',
      headers: { 'Retry-After': '5' },
    });
  });

  it('when nothing listens, then it is a 503 with the default Retry-After', async () => {
    await expect(get(new UpstreamProblems(options), `http://127.0.0.1:${await freePort()}`)).rejects.toMatchObject({
      kind: 'unavailable',
      message: 'the thing service is unavailable, retry shortly',
      headers: { 'Retry-After': '5' },
    });
  });

  it('when a 2xx body breaks the contract, then it is a 500, not worth a retry; a body that keeps it is returned', async () => {
    answer = { status: 200, body: { ok: 'yes' } };
    await expect(get(new UpstreamProblems(options))).rejects.toMatchObject({ kind: 'internal' });
    answer = { status: 200, body: { ok: true } };
    expect(await get(new UpstreamProblems(options))).toEqual({ ok: true });
  });
});
