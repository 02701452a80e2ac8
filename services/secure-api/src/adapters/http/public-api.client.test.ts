import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicApiClient } from './public-api.client.js';

// Stands in for public-api: answers every request with the status and headers the test sets.
let answer: { status: number; headers?: Record<string, string>; body?: unknown } = { status: 200 };
let server: Server;
let client: PublicApiClient;

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(answer.status, { 'content-type': 'application/problem+json', ...answer.headers });
    res.end(JSON.stringify(answer.body ?? { status: answer.status, detail: 'from public-api' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new PublicApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { timeoutMs: 2_000 });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const post = () => client.post('hello', 'Ann', { idToken: 'token-for-tests' });

describe('PublicApiClient failures', () => {
  it('when public-api answers 500 (a data error, a bug), then it is a 500, not a 503 "retry shortly"', async () => {
    answer = { status: 500 };
    await expect(post()).rejects.toMatchObject({ kind: 'internal', headers: {} });
  });

  it('when public-api answers 503 with Retry-After, then it is a 503 passing that Retry-After on', async () => {
    answer = { status: 503, headers: { 'retry-after': '7' } };
    await expect(post()).rejects.toMatchObject({ kind: 'unavailable', headers: { 'Retry-After': '7' } });
  });

  it('when public-api answers 422 for a value it cannot store, then the same 422 and field errors are passed on', async () => {
    answer = {
      status: 422,
      body: { status: 422, detail: 'text cannot be stored as given', errors: [{ path: 'text', message: 'too long' }] },
    };
    await expect(post()).rejects.toMatchObject({
      kind: 'unprocessable-content',
      message: 'text cannot be stored as given',
      errors: [{ path: 'text', message: 'too long' }],
    });
  });

  it('when public-api answers 201 with a body that breaks the contract, then it is a 500, not retryable', async () => {
    answer = { status: 201, body: { unexpected: true } };
    await expect(post()).rejects.toMatchObject({ kind: 'internal' });
  });
});
