import { connect } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenHttp, type RunningHttpServer } from './server.js';

/** Sends `raw` on a new connection and resolves with everything the server sent before closing it. */
function exchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(raw, 'latin1'));
    socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(data));
  });
}

// Found by the fuzz suite (test/fuzz/raw-http-property.ts): Node answered these with a bare 400 or
// 431 and no body, unlike every other error.
describe('requests Node refuses before the app sees them', () => {
  let server: RunningHttpServer;

  beforeAll(async () => {
    const app = express();
    app.get('/x', (_req, res) => void res.json({ ok: true }));
    server = await listenHttp(app, 0, '127.0.0.1');
  });
  afterAll(() => server?.close());

  it.each([
    ['an HTTP/1.1 request without Host', 'GET /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n', 400],
    ['a request line that is not HTTP', 'G\u0000T /x HTTP/1.1\r\nHost: a\r\n\r\n', 400],
    ['a header over the size limit', `GET /x HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(20 * 1024)}\r\n\r\n`, 431],
    ['ambiguous framing', 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400],
  ])('when %s arrives, then the answer is a problem+json and the connection is closed', async (_name, raw, status) => {
    const answer = await exchange(server.port, raw);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(head.toLowerCase()).toContain('content-type: application/problem+json');
    expect(head.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(body)).toMatchObject({ status, title: expect.any(String), detail: expect.any(String), type: expect.any(String) });
    // The parser gave up before the target was known: no made-up `instance` such as "/".
    expect(JSON.parse(body)).not.toHaveProperty('instance');
  });

  it('when a long query string takes the request past 16 KiB, then it is a 431 problem', async () => {
    const answer = await exchange(server.port, `GET /x?cursor=${'%C3%A9'.repeat(4_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer.toLowerCase()).toContain('content-type: application/problem+json');
  });

  it('when a request carries an Expect other than 100-continue, then it is served as if it had none', async () => {
    const answer = await exchange(server.port, 'GET /x HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('when HTTP/1.0 comes without Host, then it is served (Host is only required from 1.1 on)', async () => {
    expect(await exchange(server.port, 'GET /x HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 /);
  });
});
