// Request smuggling against the dev gateway: the classic shapes (CL.TE, TE.CL, TE.TE with
// obfuscated Transfer-Encoding, CL.CL, chunk-size tricks, Transfer-Encoding on HTTP/1.0) and
// fast-check variations of them, sent over raw sockets with a body that is itself a request. The
// gateway sits in front of real HTTP servers that record every request they receive. Whatever
// the shape: no request the gateway did not route reaches an upstream, nothing is a 5xx, every
// error is problem+json, and clients sending ordinary requests meanwhile get their own answers.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../gateway/gateway.js';
import { exchange, parseResponses, type RawResponse } from './raw-http.js';
import { startUpstream, type TestUpstream } from './upstreams.js';

// The gateway never routes /internal/ to an upstream (it is the SPA's catch-all), so an upstream
// that sees this path was handed a request hidden in another request's body.
const SMUGGLED_PATH = '/internal/messages';
const SMUGGLED_BODY = JSON.stringify({ text: 'smuggled', authorUid: 'victim' });
const SMUGGLED = [
  `POST ${SMUGGLED_PATH} HTTP/1.1`,
  'Host: 127.0.0.1',
  'Content-Type: application/json',
  `Content-Length: ${SMUGGLED_BODY.length}`,
  '',
  SMUGGLED_BODY,
].join('\r\n');

interface Shape {
  readonly method: string;
  readonly path: string;
  readonly version: '1.0' | '1.1';
  /** Header lines that decide the framing; the body's length is filled in for `{len}`. */
  readonly framing: readonly string[];
  readonly body: string;
}

const chunked = (data: string, size = data.length.toString(16)) => `${size}\r\n${data}\r\n0\r\n\r\n`;

const render = (shape: Shape) =>
  [
    `${shape.method} ${shape.path} HTTP/${shape.version}`,
    'Host: 127.0.0.1',
    ...shape.framing.map((line) => line.replaceAll('{len}', String(Buffer.byteLength(shape.body)))),
    '',
    shape.body,
  ].join('\r\n');

const base = { method: 'POST', path: '/api/public/messages', version: '1.1' } as const;

/** The textbook shapes (PortSwigger's request smuggling labs, RFC 9112 §6.1 and §6.3). */
const CLASSIC: Record<string, Shape> = {
  'the issue: DELETE with TE and a request as its body': {
    ...base,
    method: 'DELETE',
    path: '/api/public/healthz',
    framing: ['Transfer-Encoding: chunked'],
    body: chunked(SMUGGLED),
  },
  'CL.TE': { ...base, framing: ['Content-Length: {len}', 'Transfer-Encoding: chunked'], body: `0\r\n\r\n${SMUGGLED}` },
  'TE.CL': { ...base, framing: ['Transfer-Encoding: chunked', 'Content-Length: 4'], body: chunked(SMUGGLED) },
  'TE.TE, xchunked': { ...base, framing: ['Transfer-Encoding: xchunked', 'Content-Length: {len}'], body: `0\r\n\r\n${SMUGGLED}` },
  'TE.TE, two headers': {
    ...base,
    framing: ['Transfer-Encoding: chunked', 'Transfer-Encoding: identity'],
    body: `0\r\n\r\n${SMUGGLED}`,
  },
  'TE.TE, chunked, identity': { ...base, framing: ['Transfer-Encoding: chunked, identity'], body: `0\r\n\r\n${SMUGGLED}` },
  'TE.TE, gzip, chunked': { ...base, framing: ['Transfer-Encoding: gzip, chunked'], body: chunked(SMUGGLED) },
  'TE.TE, empty value': { ...base, framing: ['Transfer-Encoding: ', 'Content-Length: {len}'], body: SMUGGLED },
  'TE.TE, tab and case': { ...base, framing: ['Transfer-Encoding:\tChUnKeD'], body: chunked(SMUGGLED) },
  'TE.TE, space before colon': { ...base, framing: ['Transfer-Encoding : chunked', 'Content-Length: {len}'], body: SMUGGLED },
  'TE.TE, folded line': { ...base, framing: ['Transfer-Encoding:', ' chunked'], body: chunked(SMUGGLED) },
  'CL.CL, different': { ...base, framing: ['Content-Length: 0', 'Content-Length: {len}'], body: SMUGGLED },
  'CL.CL, same': { ...base, framing: ['Content-Length: {len}', 'Content-Length: {len}'], body: SMUGGLED },
  'CL list': { ...base, framing: ['Content-Length: {len}, {len}'], body: SMUGGLED },
  'CL with a sign': { ...base, framing: ['Content-Length: +{len}'], body: SMUGGLED },
  'TE on HTTP/1.0': { ...base, version: '1.0', framing: ['Transfer-Encoding: chunked'], body: chunked(SMUGGLED) },
  'chunk size 0x': { ...base, framing: ['Transfer-Encoding: chunked'], body: chunked(SMUGGLED, `0x${SMUGGLED.length.toString(16)}`) },
  'chunk size overflow': {
    ...base,
    framing: ['Transfer-Encoding: chunked'],
    body: chunked(SMUGGLED, `1000000000000000${SMUGGLED.length.toString(16)}`),
  },
  'chunk size too small': { ...base, framing: ['Transfer-Encoding: chunked'], body: chunked(SMUGGLED, '5') },
  'chunk with LF only': { ...base, framing: ['Transfer-Encoding: chunked'], body: `${SMUGGLED.length.toString(16)}\n${SMUGGLED}\n0\n\n` },
  'GET with a body': { ...base, method: 'GET', framing: ['Content-Length: {len}'], body: SMUGGLED },
  'GET with a chunked body': { ...base, method: 'GET', framing: ['Transfer-Encoding: chunked'], body: chunked(SMUGGLED) },
};

// fast-check variations: the same ingredients in any combination.
const transferCoding = fc
  .tuple(
    fc.constantFrom('', ' ', '\t', 'x', 'identity, ', 'gzip, '),
    fc.constantFrom('chunked', 'CHUNKED', 'Chunked', 'chunKed'),
    fc.constantFrom('', ' ', '\t', ', identity', ', chunked', ';q=1', '\u000b'),
  )
  .map(([before, coding, after]) => `${before}${coding}${after}`);
const framingLine = fc.oneof(
  transferCoding.map((value) => `Transfer-Encoding: ${value}`),
  fc.constantFrom('Transfer-Encoding : chunked', 'transfer-encoding: chunked', ' Transfer-Encoding: chunked', 'X-Transfer-Encoding: chunked'),
  fc.constantFrom('{len}', '0', '4', '+{len}', ' {len}', '{len}, {len}', '-1', '0x10', '99999').map((value) => `Content-Length: ${value}`),
);
const body = fc.oneof(
  fc.constant(SMUGGLED),
  fc.constant(`0\r\n\r\n${SMUGGLED}`),
  fc.constant(chunked(SMUGGLED)),
  fc.constantFrom('0x', ' ', '00000000000000000', '', 'g').map((prefix) => chunked(SMUGGLED, `${prefix}${SMUGGLED.length.toString(16)}`)),
  fc.constantFrom(';ext=1', ' ;x', '\t').map((ext) => `${SMUGGLED.length.toString(16)}${ext}\r\n${SMUGGLED}\r\n0\r\n\r\n`),
);
const shape: fc.Arbitrary<Shape> = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'),
  path: fc.constantFrom('/api/public/messages', '/api/public/healthz', '/api/secure/me', '/'),
  version: fc.constantFrom('1.1' as const, '1.0' as const),
  framing: fc.array(framingLine, { minLength: 0, maxLength: 3 }),
  body,
});

describe('dev gateway against request smuggling', { timeout: 120_000 }, () => {
  const received: string[] = [];
  let publicApi: TestUpstream;
  let secureApi: TestUpstream;
  let gateway: Gateway;

  // Records each request and answers with what it was, so a client can tell whose answer it got.
  function recordingUpstream(name: string) {
    return (req: IncomingMessage, res: ServerResponse) => {
      received.push(`${name} ${req.method} ${req.url}`);
      let bytes = 0;
      req.on('data', (chunk: Buffer) => (bytes += chunk.length));
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ url: req.url, client: req.headers['x-test-client'] ?? null, bytes }));
      });
    };
  }

  beforeAll(async () => {
    publicApi = await startUpstream(recordingUpstream('public-api'));
    secureApi = await startUpstream(recordingUpstream('secure-api'));
    gateway = await startGateway({
      port: 0,
      spa: 'placeholder',
      emulatorHost: '127.0.0.1:9099',
      servicePorts: { 'public-api': publicApi.port, 'secure-api': secureApi.port },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await Promise.all([publicApi?.stop(), secureApi?.stop()]);
  });

  /** Sends one shape and checks the answers; returns them for shape-specific checks. */
  async function send(shape: Shape): Promise<RawResponse[]> {
    const raw = render(shape);
    const responses = parseResponses(await exchange(gateway.port, raw));
    for (const response of responses) {
      expect(response.status, raw).toBeLessThan(500);
      if (response.status >= 400) expect(response.headers['content-type'], raw).toBe('application/problem+json');
    }
    return responses;
  }

  it("when Node's parser refuses a request (headers over the limit), then the gateway's 431 problem names no made-up instance", async () => {
    const [response] = parseResponses(await exchange(gateway.port, `GET /api/public/x HTTP/1.1\r\nHost: a\r\nX-Big: ${'b'.repeat(20 * 1024)}\r\n\r\n`));
    expect(response?.status).toBe(431);
    expect(response?.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(response?.body ?? '{}')).not.toHaveProperty('instance');
  });

  /** Ordinary clients on kept-alive connections, running until `done`; returns what went wrong. */
  async function ordinaryClients(done: Promise<void>): Promise<string[]> {
    const wrong: string[] = [];
    let finished = false;
    void done.then(() => (finished = true));
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (!finished) {
          const client = randomUUID();
          const response = await fetch(`${gateway.url}/api/public/echo/${client}`, { headers: { 'x-test-client': client } });
          const text = await response.text();
          if (response.status !== 200) wrong.push(`${response.status} ${text}`);
          else if ((JSON.parse(text) as { client: string }).client !== client) wrong.push(`someone else's answer: ${text}`);
        }
      }),
    );
    return wrong;
  }

  it.each(Object.entries(CLASSIC))('when a client sends %s, then no hidden request reaches an upstream', async (_name, classic) => {
    const before = received.length;
    await send(classic);
    expect(received.slice(before).filter((line) => line.includes(SMUGGLED_PATH))).toEqual([]);
  });

  it('when the body a client sends is a request, then the upstream gets it as that body, framed, and nothing else', async () => {
    const before = received.length;
    const [response] = await send(CLASSIC['the issue: DELETE with TE and a request as its body']!);
    expect(response?.status).toBe(200);
    expect(JSON.parse(response!.body)).toMatchObject({ url: '/api/public/healthz', bytes: SMUGGLED.length });
    expect(received.slice(before)).toEqual(['public-api DELETE /api/public/healthz']);
  });

  it('when ambiguous framing arrives, then it is a 400 problem and the connection is closed', async () => {
    for (const name of ['CL.TE', 'TE.TE, gzip, chunked', 'TE.TE, empty value', 'TE on HTTP/1.0', 'CL.CL, same', 'chunk size 0x']) {
      const responses = await send(CLASSIC[name]!);
      expect(
        responses.map((r) => r.status),
        name,
      ).toEqual([400]);
      expect(responses[0]?.headers['connection'], name).toBe('close');
    }
  });

  it('when fuzzed smuggling shapes arrive while ordinary clients use the gateway, then none smuggles and every client gets its own answer', async () => {
    let stop: () => void = () => {};
    const done = new Promise<void>((resolve) => (stop = resolve));
    const clients = ordinaryClients(done);
    try {
      await fc.assert(
        fc.asyncProperty(shape, async (generated) => {
          await send(generated);
          expect(received.filter((line) => line.includes(SMUGGLED_PATH))).toEqual([]);
        }),
        { numRuns: 100 },
      );
    } finally {
      stop();
    }
    expect(await clients).toEqual([]);
  });
});
