// Raw HTTP/1.1 over a socket, for requests no well-behaved client would send (smuggling shapes),
// and a small parser for the responses that come back on the same connection.
import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Sends `raw` on a new connection and returns what the server sent until it closed or fell silent:
 * `quietMs` after its last byte, or `firstByteMs` when nothing came at all (a request it is still
 * waiting to finish). The connection is not half-closed: Node's server would abort the requests
 * still in flight on it.
 */
export function exchange(port: number, raw: string, options: { firstByteMs?: number; quietMs?: number } = {}): Promise<Buffer> {
  const { firstByteMs = 1_000, quietMs = 200 } = options;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(raw, 'latin1'));
    let timer = setTimeout(() => socket.destroy(), firstByteMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), quietMs);
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** Splits what a server sent into responses (Content-Length, chunked, or up to the close). */
export function parseResponses(data: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < data.length) {
    const headEnd = data.indexOf('\r\n\r\n', at);
    if (headEnd < 0) throw new Error(`incomplete response head: ${JSON.stringify(data.subarray(at).toString('latin1'))}`);
    const [statusLine = '', ...lines] = data.subarray(at, headEnd).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
    if (!match) throw new Error(`not a status line: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    let bodyStart = headEnd + 4;
    let body: Buffer;
    const status = Number(match[1]);
    if (status < 200 || status === 204 || status === 304) {
      body = Buffer.alloc(0);
      at = bodyStart;
    } else if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf('\r\n', bodyStart);
        const size = Number.parseInt(data.subarray(bodyStart, lineEnd).toString('latin1'), 16);
        bodyStart = lineEnd + 2;
        if (size === 0) {
          bodyStart = data.indexOf('\r\n', bodyStart) + 2;
          break;
        }
        parts.push(data.subarray(bodyStart, bodyStart + size));
        bodyStart += size + 2;
      }
      body = Buffer.concat(parts);
      at = bodyStart;
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      body = data.subarray(bodyStart, bodyStart + length);
      at = bodyStart + length;
    } else {
      body = data.subarray(bodyStart);
      at = data.length;
    }
    responses.push({ status, headers, body: body.toString('utf8') });
  }
  return responses;
}
