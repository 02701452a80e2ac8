import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, type Problem } from './problem.js';

// What Node's HTTP parser refuses, by its error code; anything else is a 400.
const CLIENT_ERROR_STATUS: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * The server's `clientError` handler: a request Node's parser refuses (not HTTP/1.1, ambiguous
 * framing, headers over the size limit, a request that never finished) gets an RFC 9457 problem
 * like every other error, instead of Node's bare `400 Bad Request` with no body, and the
 * connection is closed. Nothing is written when an answer is already under way.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  // The response Node is writing on this socket, if any (how Node's own default handler tells).
  const current = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !current?.headersSent && error.code !== 'ECONNRESET') {
    const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400;
    const title = STATUS_CODES[status] ?? 'Bad Request';
    const reason = (error as { reason?: string }).reason ?? error.code ?? error.message;
    const body = JSON.stringify(protocolProblem(status, `the request is not valid HTTP/1.1 (${reason})`));
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'Cache-Control: no-store\r\nConnection: close\r\n\r\n' +
        body,
    );
  }
  socket.destroySoon();
}

/** No `instance`: the parser refused the request before its target was known (RFC 9457 makes the member optional). */
function protocolProblem(status: number, detail: string): Problem {
  const title = STATUS_CODES[status] ?? 'Bad Request';
  return {
    type: `urn:testbed:problem:${status === 400 ? 'invalid-argument' : title.toLowerCase().replaceAll(' ', '-')}`,
    title,
    status,
    detail,
    requestId: randomUUID(),
  };
}

/**
 * Refuses an HTTP/1.1 request without a Host header (RFC 9112 §3.2: 400) with a problem and closes
 * the connection; returns false when the request has one. Servers are created with
 * `requireHostHeader: false` so that this, not Node's bare 400 without a body, answers.
 */
export function refuseMissingHost(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.httpVersionMajor !== 1 || req.httpVersionMinor !== 1 || req.headers.host !== undefined) return false;
  const body = JSON.stringify(protocolProblem(400, 'an HTTP/1.1 request needs a Host header'));
  res.writeHead(400, {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    connection: 'close',
  });
  res.end(body);
  return true;
}
