// The gateway's own errors (upstream down, too slow, body too large) in the same RFC 9457 shape
// the services use, so the SPA handles one error format whoever answered.
import type { IncomingMessage, ServerResponse } from 'node:http';

const TITLES: Record<number, string> = {
  404: 'Not Found',
  405: 'Method Not Allowed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  502: 'Bad Gateway',
  504: 'Gateway Timeout',
};

export function sendProblem(req: IncomingMessage, res: ServerResponse, status: number, detail: string, requestId: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const title = TITLES[status] ?? 'Error';
  const body = JSON.stringify({
    type: `urn:testbed:problem:gateway-${title.toLowerCase().replaceAll(' ', '-')}`,
    title,
    status,
    detail,
    instance: req.url ?? '/',
    requestId,
  });
  res.writeHead(status, {
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-request-id': requestId,
  });
  res.end(body);
}
