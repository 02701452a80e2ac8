// A minimal grpc-web client over fetch, as a browser would call: one request message framed,
// base64 in text mode, and the response split into messages and trailers.
import { decodeGrpcWebBody, encodeMessageFrame } from '../gateway/grpc-web/frames.js';

export interface GrpcWebResult {
  readonly httpStatus: number;
  readonly contentType: string | null;
  readonly messages: Buffer[];
  /** From the trailer frame, or from the headers for a trailers-only answer. */
  readonly status: number | undefined;
  readonly statusMessage: string | undefined;
  readonly trailers: Record<string, string>;
  readonly headers: Headers;
}

export async function grpcWebCall(
  url: string,
  request: Uint8Array,
  options: { text?: boolean; headers?: Record<string, string>; body?: string | Uint8Array } = {},
): Promise<GrpcWebResult> {
  const frame = encodeMessageFrame(request);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.text ? 'application/grpc-web-text' : 'application/grpc-web+proto',
      accept: options.text ? 'application/grpc-web-text' : 'application/grpc-web+proto',
      'x-grpc-web': '1',
      ...options.headers,
    },
    body: options.body ?? (options.text ? frame.toString('base64') : frame),
  });
  const raw = Buffer.from(await response.arrayBuffer());
  const body = options.text ? Buffer.from(raw.toString('latin1'), 'base64') : raw;
  const { messages, trailers } = decodeGrpcWebBody(body);
  const fromHeaders: Record<string, string> = {};
  for (const name of ['grpc-status', 'grpc-message']) {
    const value = response.headers.get(name);
    if (value !== null) fromHeaders[name] = value;
  }
  const all = trailers ?? fromHeaders;
  return {
    httpStatus: response.status,
    contentType: response.headers.get('content-type'),
    messages,
    status: all['grpc-status'] === undefined ? undefined : Number(all['grpc-status']),
    statusMessage: all['grpc-message'] === undefined ? undefined : decodeURIComponent(all['grpc-message']),
    trailers: all,
    headers: response.headers,
  };
}
