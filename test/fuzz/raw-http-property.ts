// Raw HTTP/1.1 garbage and oversize requests over a socket, to the dev gateway and to the services
// directly: what no HTTP client library would send. The smuggling shapes have their own suite
// against the gateway (scripts/dev/test/gateway-smuggling.int.test.ts); this one sends the rest,
// with the same raw socket helpers. Whatever arrives: no answer of 500 or more, every error a
// problem+json, and the server keeps answering ordinary requests.
import fc from 'fast-check';
import { exchange, parseResponses } from '../../scripts/dev/test/raw-http.js';

const token = (maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split('')), minLength: 1, maxLength });

/** Any byte except CR and LF, so the line structure stays what the case says. */
const lineBytes = (maxLength: number) =>
  fc.string({
    unit: fc
      .integer({ min: 0, max: 255 })
      .filter((c) => c !== 10 && c !== 13)
      .map((c) => String.fromCharCode(c)),
    maxLength,
  });

const requestLine = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), fc.constantFrom('/api/public/messages', '/api/secure/me', '/api/public/healthz'))
      .map(([m, p]) => `${m} ${p} HTTP/1.1`),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      'GET http://evil.example/api/public/messages HTTP/1.1',
      'CONNECT 127.0.0.1:3306 HTTP/1.1',
      'OPTIONS * HTTP/1.1',
      'GET /api/public/messages HTTP/2.0',
      'GET /api/public/messages HTTP/9.9',
      'GET /api/public/messages',
      'GET  /api/public/messages  HTTP/1.1',
      'G\u0000T /api/public/messages HTTP/1.1',
      'get /api/public/messages HTTP/1.1',
      'GET /api/public/messages?\u00ff HTTP/1.1',
      'PRI * HTTP/2.0',
      'TRACE /api/public/healthz HTTP/1.1',
    ),
  },
  { weight: 1, arbitrary: fc.tuple(token(10), lineBytes(40), token(10)).map(([m, p, v]) => `${m} ${p} ${v}`) },
  { weight: 1, arbitrary: lineBytes(80) },
);

const headerLine = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'Accept: */*',
      'Content-Type: application/json',
      'Connection: keep-alive',
      'Connection: close',
      'Expect: 100-continue',
      'Expect: 200-ok',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Authorization: Bearer x',
      'Host: other.example',
    ),
  },
  { weight: 2, arbitrary: fc.tuple(token(20), lineBytes(60)).map(([name, value]) => `${name}: ${value}`) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'no colon here',
      ': no name',
      'Bad Name: x',
      'X-Nul: a\u0000b',
      '\tfolded',
      'X-Ctl: \u0007',
      'Content-Length: 12abc',
      'Content-Length: -1',
      'Content-Length: 99999999999999999999',
    ),
  },
  // Oversize: one header past Node's 16 KiB limit, or far past it.
  { weight: 1, arbitrary: fc.integer({ min: 17 * 1024, max: 80 * 1024 }).map((n) => `X-Big: ${'b'.repeat(n)}`) },
);

/** One raw request: garbage, near-HTTP or oversize; mostly complete, so the server answers at once. */
export const rawRequests: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        line: requestLine,
        host: fc.constantFrom('Host: 127.0.0.1', '', 'Host: ', 'Host: a\tb', 'Host: 127.0.0.1\r\nHost: 127.0.0.2'),
        headers: fc.array(headerLine, { maxLength: 4 }),
        body: fc.oneof(fc.constant(''), lineBytes(40), fc.constant('{"text":"raw"}')),
        sizeHeader: fc.constantFrom('right', 'none', 'huge'),
      })
      .map(({ line, host, headers, body, sizeHeader }) => {
        const size =
          sizeHeader === 'right' ? [`Content-Length: ${Buffer.byteLength(body, 'latin1')}`] : sizeHeader === 'huge' ? ['Content-Length: 104857600'] : [];
        return [line, ...(host ? [host] : []), ...headers, ...size, '', body].join('\r\n');
      }),
  },
  // Thousands of headers.
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 200, max: 3_000 })
      .map((n) => `GET /api/public/healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${Array.from({ length: n }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`),
  },
  // Bytes that are not HTTP at all (TLS hello-like, binary, HTTP/2 preface).
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((b) => `${Buffer.from(b).toString('latin1')}\r\n\r\n`),
      fc.constantFrom('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n', '\r\n\r\n\r\n'),
    ),
  },
);

export interface RawFuzzTarget {
  readonly name: string;
  readonly port: number;
  /** Why the stack is no longer whole, or undefined while it is. */
  readonly brokenBecause: () => string | undefined;
}

/** What is wrong with what the server sent back; empty when nothing is. An empty answer (the server waits for more) is fine. */
export function rawViolations(data: Buffer): string[] {
  let responses;
  try {
    responses = parseResponses(data);
  } catch (error) {
    return [`not a well-formed answer: ${(error as Error).message.slice(0, 200)}`];
  }
  return responses.flatMap((response) => [
    ...(response.status >= 500 ? [`status ${response.status}`] : []),
    ...(response.status >= 400 && (response.headers['content-type'] ?? '').split(';')[0]?.trim() !== 'application/problem+json'
      ? [`${response.status} with content type ${String(response.headers['content-type'])}`]
      : []),
  ]);
}

/** Sends `numRuns` raw cases to the target, one at a time, each on a new connection. */
export async function fuzzRawHttp(target: RawFuzzTarget, options: { numRuns: number; seed?: number }): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(rawRequests, async (raw) => {
      // A request the server is still waiting to finish gets no answer; 500 ms of silence ends the case.
      const data = await exchange(target.port, raw, { firstByteMs: 500, quietMs: 200 });
      const problems = rawViolations(data);
      if (problems.length === 0) {
        for (const response of parseResponses(data)) statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        if (data.length === 0) statuses['none'] = (statuses['none'] ?? 0) + 1;
      }
      const broken = target.brokenBecause();
      if (broken) problems.push(`the stack broke: ${broken}`);
      if (problems.length > 0)
        throw new Error(
          `${target.name}:\n  ${problems.join('\n  ')}\n  sent: ${JSON.stringify(raw.slice(0, 300))}\n  got: ${JSON.stringify(data.toString('latin1').slice(0, 300))}`,
        );
    }),
    { numRuns: options.numRuns, timeout: 30_000, ...(options.seed === undefined ? {} : { seed: options.seed }) },
  );
  return statuses;
}
