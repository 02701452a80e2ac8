// Translates browser grpc-web calls (binary and text mode) into native gRPC over HTTP/2 and
// the answers back: response messages pass through as they are, trailers become the final
// body frame, and whatever goes wrong on the way ends as a proper gRPC status for the client.
import { constants, type ClientHttp2Stream, type IncomingHttpHeaders as Http2Headers, type OutgoingHttpHeaders as Http2OutgoingHeaders } from 'node:http2';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Writable } from 'node:stream';
import { BodyTooLargeError, bodyLimit } from '../body-limit.js';
import { forwardedRequestHeaders } from '../forwarded-headers.js';
import { sendProblem } from '../problem.js';
import { base64Decoder, base64Encoder } from './base64-streams.js';
import { encodeTrailerFrame, grpcWebMode, type GrpcWebMode } from './frames.js';
import { formatGrpcTimeout, parseGrpcTimeout } from './grpc-timeout.js';
import { GrpcStatus, grpcStatusForHttpStatus } from './grpc-status.js';
import type { H2SessionPool } from './h2-session-pool.js';
import { injectTraceContext } from '../tracing.js';

export interface GrpcUpstream {
  readonly name: string;
  /** e.g. http://127.0.0.1:50051 (cleartext HTTP/2). */
  readonly origin: string;
  readonly responseTimeoutMs: number;
  readonly maxRequestBodyBytes: number;
}

// Browser and HTTP/1-only headers that mean nothing to a gRPC server (or that the gateway sets itself).
const NOT_METADATA = new Set([
  'host',
  'content-type',
  'content-length',
  'accept',
  'accept-encoding',
  'accept-language',
  'cache-control',
  'pragma',
  'origin',
  'referer',
  'cookie',
  'dnt',
  'x-grpc-web',
  'x-user-agent',
  'grpc-timeout',
]);
// What the upstream response carries that must not be copied to the grpc-web response.
const NOT_FORWARDED_BACK = new Set(['content-type', 'content-length', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

function metadataOf(headers: Http2Headers): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined || NOT_FORWARDED_BACK.has(name)) continue;
    result[name] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return result;
}

export function createGrpcWebProxy(upstream: GrpcUpstream, sessions: H2SessionPool) {
  function handle(req: IncomingMessage, res: ServerResponse, requestId: string): void {
    if (req.method === 'OPTIONS') {
      // Same-origin calls need no CORS preflight; answer with what the route accepts, grant nothing.
      res.writeHead(204, { allow: 'POST, OPTIONS', 'x-request-id': requestId }).end();
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('allow', 'POST, OPTIONS');
      sendProblem(req, res, 405, 'grpc-web calls are POST requests', requestId);
      return;
    }
    const mode = grpcWebMode(req.headers['content-type']);
    if (!mode) {
      sendProblem(req, res, 415, 'expected application/grpc-web, application/grpc-web+proto or application/grpc-web-text', requestId);
      return;
    }
    new GrpcWebCall(upstream, sessions, req, res, mode, requestId).start();
  }

  /** Ends a call the gateway will not forward (the upstream is not ready) with UNAVAILABLE, trailers-only. */
  function unavailable(req: IncomingMessage, res: ServerResponse, requestId: string, message: string, retryAfterS: number): void {
    req.resume();
    const mode = grpcWebMode(req.headers['content-type']);
    res.writeHead(200, {
      'content-type': mode?.webContentType ?? 'application/grpc-web+proto',
      'cache-control': 'no-store',
      'x-request-id': requestId,
      'retry-after': String(retryAfterS),
      'grpc-status': String(GrpcStatus.UNAVAILABLE),
      'grpc-message': encodeURIComponent(message),
      'content-length': 0,
    });
    res.end();
  }
  return { handle, unavailable };
}

/** One grpc-web call and its gRPC counterpart. */
class GrpcWebCall {
  #call: ClientHttp2Stream | undefined;
  #out: Writable | undefined;
  #timer: NodeJS.Timeout | undefined;
  #done = false;

  constructor(
    private readonly upstream: GrpcUpstream,
    private readonly sessions: H2SessionPool,
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
    private readonly mode: GrpcWebMode,
    private readonly requestId: string,
  ) {}

  start(): void {
    const { req, res, upstream } = this;
    const clientDeadline = parseGrpcTimeout(req.headers['grpc-timeout'] as string | undefined);
    const deadlineMs = Math.min(clientDeadline ?? Infinity, upstream.responseTimeoutMs);

    const headers: Http2OutgoingHeaders = {};
    for (const [name, value] of Object.entries(forwardedRequestHeaders(req, this.requestId))) {
      if (!NOT_METADATA.has(name) && value !== undefined) headers[name] = value;
    }
    // Node's http2 client is not instrumented: the gRPC hop carries the gateway span's context as metadata.
    injectTraceContext(headers);
    let call: ClientHttp2Stream;
    try {
      call = this.sessions.session(upstream.origin).request({
        ...headers,
        [constants.HTTP2_HEADER_METHOD]: 'POST',
        [constants.HTTP2_HEADER_PATH]: new URL(req.url ?? '/', 'http://gateway').pathname,
        [constants.HTTP2_HEADER_CONTENT_TYPE]: this.mode.grpcContentType,
        te: 'trailers',
        'grpc-timeout': formatGrpcTimeout(deadlineMs),
      });
    } catch (error) {
      // The shared session was closing at this very moment; the client may retry.
      req.resume();
      this.finish(GrpcStatus.UNAVAILABLE, `${upstream.name} connection is closing (${(error as Error).message})`);
      return;
    }
    this.#call = call;

    // The server enforces grpc-timeout; this is the backstop for one that hangs anyway.
    this.#timer = setTimeout(() => this.finish(GrpcStatus.DEADLINE_EXCEEDED, `${upstream.name} did not answer within ${deadlineMs} ms`), deadlineMs + 1_000);
    res.on('close', () => {
      if (!this.#done) this.abandon();
    });

    call.on('response', (responseHeaders) => this.onResponse(responseHeaders));
    call.on('trailers', (trailers: Http2Headers) => this.onTrailers(trailers));
    call.on('error', (error: NodeJS.ErrnoException) =>
      this.finish(GrpcStatus.UNAVAILABLE, `${upstream.name} is not answering (${error.code ?? error.message})`),
    );
    call.on('close', () => {
      if (!this.#done) this.finish(GrpcStatus.UNAVAILABLE, `${upstream.name} closed the call (HTTP/2 code ${call.rstCode})`);
    });

    this.pipeRequestBody(call);
  }

  private pipeRequestBody(call: ClientHttp2Stream): void {
    const limiter = bodyLimit(this.upstream.maxRequestBodyBytes);
    const onBodyError = (error: Error) => {
      this.req.unpipe();
      this.req.resume();
      if (error instanceof BodyTooLargeError) this.finish(GrpcStatus.RESOURCE_EXHAUSTED, error.message);
      else this.finish(GrpcStatus.INVALID_ARGUMENT, error.message);
    };
    limiter.on('error', onBodyError);
    if (this.mode.text) {
      const decoder = base64Decoder();
      decoder.on('error', onBodyError);
      this.req.pipe(decoder).pipe(limiter).pipe(call);
    } else {
      this.req.pipe(limiter).pipe(call);
    }
  }

  private onResponse(headers: Http2Headers): void {
    const httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
    if (httpStatus !== 200) {
      this.finish(grpcStatusForHttpStatus(httpStatus), `${this.upstream.name} answered HTTP ${httpStatus}`);
      return;
    }
    if (headers['grpc-status'] !== undefined) {
      // Trailers-only: the status came with the headers and there is no body; grpc-web keeps it that way.
      this.respondTrailersOnly(metadataOf(headers));
      return;
    }
    this.res.writeHead(200, this.responseHeaders(metadataOf(headers)));
    let out: Writable = this.res;
    if (this.mode.text) {
      const encoder = base64Encoder();
      encoder.pipe(this.res);
      out = encoder;
    }
    this.#out = out;
    this.#call?.pipe(out, { end: false });
  }

  private onTrailers(trailers: Http2Headers): void {
    this.complete(metadataOf(trailers));
  }

  private responseHeaders(extra: Record<string, string>): OutgoingHttpHeaders {
    return { ...extra, 'content-type': this.mode.webContentType, 'cache-control': 'no-store', 'x-request-id': this.requestId };
  }

  private respondTrailersOnly(trailers: Record<string, string>): void {
    if (this.#done) return;
    this.#done = true;
    clearTimeout(this.#timer);
    if (this.res.headersSent) {
      this.writeTrailerFrame(trailers);
      return;
    }
    this.res.writeHead(200, { ...this.responseHeaders(trailers), 'content-length': 0 });
    this.res.end();
    this.closeCall();
  }

  /** The upstream finished normally: its trailers become the last body frame. */
  private complete(trailers: Record<string, string>): void {
    if (this.#done) return;
    if (trailers['grpc-status'] === undefined) {
      this.finish(GrpcStatus.INTERNAL, `${this.upstream.name} ended the call without a grpc-status`);
      return;
    }
    this.#done = true;
    clearTimeout(this.#timer);
    // Wait for the messages still flowing to the client, then close with the trailers.
    const call = this.#call;
    if (call && !call.readableEnded) call.once('end', () => this.writeTrailerFrame(trailers));
    else this.writeTrailerFrame(trailers);
  }

  /** Ends the call with a status the gateway chose, in whatever form the response still allows. */
  private finish(status: number, message: string): void {
    if (this.#done) return;
    const trailers = { 'grpc-status': String(status), 'grpc-message': encodeURIComponent(message) };
    if (this.res.headersSent) {
      this.#done = true;
      clearTimeout(this.#timer);
      this.#call?.unpipe();
      this.writeTrailerFrame(trailers);
      this.closeCall();
      return;
    }
    this.respondTrailersOnly(trailers);
  }

  private writeTrailerFrame(trailers: Record<string, string>): void {
    const out = this.#out ?? this.res;
    out.end(encodeTrailerFrame(trailers));
  }

  private closeCall(): void {
    const call = this.#call;
    if (call && !call.closed) call.close(constants.NGHTTP2_CANCEL);
  }

  /** The browser went away: cancel the gRPC call so the server can stop. */
  private abandon(): void {
    this.#done = true;
    clearTimeout(this.#timer);
    this.closeCall();
  }
}
