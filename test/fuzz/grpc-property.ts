// Garbage and oversize calls to auth-service: raw gRPC over HTTP/2 straight to its port, and
// grpc-web through the dev gateway. Whatever arrives, the answer is a gRPC status a client can act
// on (INVALID_ARGUMENT, UNAUTHENTICATED, RESOURCE_EXHAUSTED, UNIMPLEMENTED, …), never INTERNAL,
// UNKNOWN or a dependency failure, or an HTTP refusal of a request that is not gRPC at all
// (415, or a gateway problem+json); and the service keeps serving.
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import fc from 'fast-check';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { AuthServiceService, VerifyTokenRequest } from '@testbed/protos/auth/v1';
import { trickyString } from './schema-arbitraries.js';
import type { TokenSource } from './http-requests.js';

/** Every method auth-service serves, from the generated service definition (a new rpc is fuzzed without a change here), plus health. */
export const AUTH_SERVICE_PATHS: readonly string[] = Object.values(AuthServiceService).map((method) => method.path);
export const AUTH_METHOD_PATHS: readonly string[] = [...AUTH_SERVICE_PATHS, '/grpc.health.v1.Health/Check'];

/** Statuses that would blame the server (or a dependency) for what the client sent. */
const SERVER_FAULTS = new Set<number>([GrpcStatus.UNKNOWN, GrpcStatus.INTERNAL, GrpcStatus.UNAVAILABLE, GrpcStatus.DATA_LOSS]);

export interface GrpcCase {
  readonly path: string;
  readonly contentType?: string;
  /** Extra request headers: metadata, grpc-timeout, grpc-encoding. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** For failure messages. */
  readonly what: string;
}

/** A gRPC length-prefixed message: flag byte, 4-byte big-endian length, payload (RFC-less, see gRPC's PROTOCOL-HTTP2.md). */
export const frame = (payload: Uint8Array, options: { compressed?: boolean; declaredLength?: number } = {}): Buffer => {
  const head = Buffer.alloc(5);
  head.writeUInt8(options.compressed ? 1 : 0, 0);
  head.writeUInt32BE(options.declaredLength ?? payload.length, 1);
  return Buffer.concat([head, payload]);
};

const bytes = (maxLength: number) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));

/** Protobuf wire data for field numbers 1-9 with any wire type: right shapes, wrong types, broken lengths. */
const wireFields = fc
  .array(fc.record({ field: fc.integer({ min: 1, max: 9 }), wireType: fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7), value: bytes(24) }), { maxLength: 4 })
  .map((fields) => Buffer.concat(fields.map(({ field, wireType, value }) => Buffer.concat([Buffer.from([(field << 3) | wireType]), value]))));

/** A request message payload: valid for VerifyToken, wire-level near misses, or random bytes. */
function payload(tokens: TokenSource): fc.Arbitrary<Buffer> {
  const verifyToken = fc
    .record({
      idToken: fc.oneof(fc.constant(undefined), trickyString({ maxLength: 200 }), fc.constant('')),
      checkRevoked: fc.boolean(),
      valid: fc.boolean(),
    })
    .map(({ idToken, checkRevoked, valid }) =>
      Buffer.from(VerifyTokenRequest.encode({ idToken: valid ? tokens.validToken() : (idToken ?? ''), checkRevoked }).finish()),
    );
  return fc.oneof(
    { weight: 3, arbitrary: verifyToken },
    { weight: 3, arbitrary: wireFields },
    { weight: 2, arbitrary: bytes(64) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(0)) },
    // Over the 16 KiB message limit, and far over it.
    { weight: 1, arbitrary: fc.integer({ min: 16 * 1024 + 1, max: 200 * 1024 }).map((size) => Buffer.alloc(size, 0x41)) },
  );
}

/** The body: zero or more frames, sometimes cut short, with a lying length, compressed-flagged, or not framed at all. */
function body(tokens: TokenSource): fc.Arbitrary<{ body: Buffer; compressedFlag: boolean }> {
  const oneFrame = fc
    .record({
      data: payload(tokens),
      compressed: fc.boolean(),
      lie: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: -4, max: 2 ** 20 }) }),
    })
    .map(({ data, compressed, lie }) => ({
      body: frame(data, { compressed: compressed && data.length % 7 === 0, declaredLength: Math.max(0, data.length + lie) }),
      compressedFlag: compressed && data.length % 7 === 0,
    }));
  return fc.oneof(
    { weight: 6, arbitrary: oneFrame },
    {
      weight: 1,
      arbitrary: fc
        .array(oneFrame, { minLength: 2, maxLength: 3 })
        .map((frames) => ({ body: Buffer.concat(frames.map((f) => f.body)), compressedFlag: frames.some((f) => f.compressedFlag) })),
    },
    { weight: 1, arbitrary: bytes(40).map((b) => ({ body: b, compressedFlag: false })) },
    { weight: 1, arbitrary: fc.constant({ body: Buffer.alloc(0), compressedFlag: false }) },
  );
}

const metadataValue = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 });

function metadata(tokens: TokenSource): fc.Arbitrary<Record<string, string>> {
  return fc
    .record(
      {
        authorization: fc.oneof(
          fc.constant(`Bearer ${tokens.validToken()}`),
          metadataValue.map((v) => `Bearer ${v}`),
          fc.constantFrom('Bearer', 'Basic abc', '', `Bearer ${tokens.validToken()}, Bearer x`),
        ),
        'x-request-id': metadataValue,
        'x-junk-bin': bytes(40).map((b) => b.toString('base64')),
        // Mostly small; now and then past the 16 KiB metadata limit, or past what HTTP/2 takes at all.
        'x-padding': fc
          .oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 256 }) }, { weight: 1, arbitrary: fc.integer({ min: 8 * 1024, max: 40 * 1024 }) })
          .map((n) => 'p'.repeat(n)),
        // Deadlines either under auth-service's 250 ms response margin (DEADLINE_EXCEEDED at once, on any
        // machine) or generous: one in between could end UNAVAILABLE on a loaded machine, a verdict on the
        // machine, not on the request. grpc-js refuses malformed values itself with INTERNAL (docs/fuzzing.md).
        'grpc-timeout': fc.constantFrom('5n', '100m', '200m', '120S', '99999999H'),
        'grpc-encoding': fc.constantFrom('identity', 'br', 'snappy'),
        'grpc-accept-encoding': fc.constantFrom('gzip', 'identity', 'x'),
      },
      { requiredKeys: [] },
    )
    .map((entries) => ({ ...entries }));
}

/** Raw gRPC calls to auth-service's port. */
export function grpcCases(tokens: TokenSource): fc.Arbitrary<GrpcCase> {
  return fc
    .record({
      path: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...AUTH_METHOD_PATHS) },
        // Not health's Watch: a server stream that by design stays open until the client cancels it.
        { weight: 1, arbitrary: fc.constantFrom('/auth.v1.AuthService/Nope', '/auth.v1.AuthService/', '/', '/grpc.health.v1.Health/Nope', '/x/y/z') },
      ),
      contentType: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom('application/grpc', 'application/grpc+proto') },
        { weight: 1, arbitrary: fc.constantFrom('application/json', 'text/plain', 'application/grpc+json', undefined) },
      ),
      headers: metadata(tokens),
      sent: body(tokens),
    })
    .map(({ path, contentType, headers, sent }) => ({
      path,
      ...(contentType === undefined ? {} : { contentType }),
      headers,
      body: sent.body,
      what: `${path} ${contentType ?? '(no content type)'} ${Object.keys(headers).join(',')} body ${sent.body.length} B${sent.compressedFlag ? ' compressed-flag' : ''}`,
    }));
}

export interface GrpcAnswer {
  readonly httpStatus: number;
  readonly grpcStatus: number | undefined;
  readonly grpcMessage: string | undefined;
}

const HANG_MS = 60_000;
/** fast-check fails a case that has not settled by then, whatever it waits on: a hang is a finding, never a stuck run. */
export const CASE_TIMEOUT_MS = HANG_MS + 5_000;

/** Sends one case on `session` and reads the status from the headers (trailers-only) or the trailers. */
export function sendGrpc(session: ClientHttp2Session, call: GrpcCase): Promise<GrpcAnswer> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: call.path,
      te: 'trailers',
      ...(call.contentType ? { 'content-type': call.contentType } : {}),
      ...call.headers,
    });
    let httpStatus = 0;
    let grpcStatus: number | undefined;
    let grpcMessage: string | undefined;
    const read = (headers: Record<string, unknown>) => {
      if (headers['grpc-status'] !== undefined) grpcStatus = Number(headers['grpc-status']);
      const message = headers['grpc-message'];
      if (typeof message === 'string') grpcMessage = decodeURIComponent(message);
    };
    const timer = setTimeout(() => stream.close(constants.NGHTTP2_CANCEL), HANG_MS);
    stream.on('response', (headers) => {
      httpStatus = Number(headers[constants.HTTP2_HEADER_STATUS]);
      read(headers);
    });
    stream.on('trailers', read);
    stream.on('data', () => {});
    stream.on('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
    stream.on('close', () => {
      clearTimeout(timer);
      if (httpStatus === 0) reject(new Error(`stream closed without an answer (code ${stream.rstCode})`));
      else resolve({ httpStatus, grpcStatus, grpcMessage });
    });
    // An oversize body may be refused before it is all sent; the status has then already come.
    stream.end(call.body);
  });
}

/** What is wrong with the answer to a raw gRPC case; empty when nothing is. */
export function grpcViolations(call: GrpcCase, answer: GrpcAnswer): string[] {
  const isGrpc = call.contentType === 'application/grpc' || call.contentType === 'application/grpc+proto';
  if (!isGrpc) {
    // Not a gRPC request: grpc-js refuses it at the HTTP level (PROTOCOL-HTTP2.md: 415).
    return answer.httpStatus === 415 || (answer.grpcStatus !== undefined && !SERVER_FAULTS.has(answer.grpcStatus))
      ? []
      : [`a non-gRPC request got HTTP ${answer.httpStatus}, grpc-status ${String(answer.grpcStatus)}`];
  }
  if (answer.httpStatus !== 200) return [`HTTP ${answer.httpStatus} to a gRPC call`];
  if (answer.grpcStatus === undefined) return ['no grpc-status'];
  if (SERVER_FAULTS.has(answer.grpcStatus)) return [`grpc-status ${GrpcStatus[answer.grpcStatus]}: ${answer.grpcMessage ?? ''}`];
  return [];
}

/** Runs `numRuns` raw gRPC cases against `address` (host:port), one at a time, on one HTTP/2 connection (a new one if the server closes it). */
export async function fuzzGrpc(
  address: string,
  tokens: TokenSource,
  options: { numRuns: number; seed?: number; brokenBecause: () => string | undefined },
): Promise<Record<string, number>> {
  let session: ClientHttp2Session | undefined;
  const sessionFor = () => {
    if (!session || session.closed || session.destroyed) {
      session = connect(`http://${address}`);
      session.on('error', () => {});
    }
    return session;
  };
  const statuses: Record<string, number> = {};
  try {
    await fc.assert(
      fc.asyncProperty(grpcCases(tokens), async (call) => {
        let answer: GrpcAnswer;
        try {
          answer = await sendGrpc(sessionFor(), call);
        } catch (error) {
          throw new Error(`no answer to ${call.what}: ${String(error)}; ${options.brokenBecause() ?? 'the stack is still up'}`, { cause: error });
        }
        const key = answer.grpcStatus === undefined ? `HTTP ${answer.httpStatus}` : GrpcStatus[answer.grpcStatus]!;
        statuses[key] = (statuses[key] ?? 0) + 1;
        const problems = grpcViolations(call, answer);
        const broken = options.brokenBecause();
        if (broken) problems.push(`the stack broke: ${broken}`);
        if (problems.length > 0) throw new Error(`${call.what}:\n  ${problems.join('\n  ')}`);
      }),
      { numRuns: options.numRuns, timeout: CASE_TIMEOUT_MS, ...(options.seed === undefined ? {} : { seed: options.seed }) },
    );
  } finally {
    session?.destroy();
  }
  return statuses;
}

/** A grpc-web call as a browser (or anything pretending to be one) sends it through the gateway. */
export interface GrpcWebCase {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly what: string;
}

export function grpcWebCases(tokens: TokenSource): fc.Arbitrary<GrpcWebCase> {
  return fc
    .record({
      // What the gateway routes to auth-service (manifests/routes.json: the /auth.v1.AuthService/ prefix).
      path: fc.oneof(
        { weight: 6, arbitrary: fc.constantFrom(...AUTH_SERVICE_PATHS) },
        { weight: 1, arbitrary: fc.constantFrom('/auth.v1.AuthService/Nope', '/auth.v1.AuthService/', '/auth.v1.AuthService/VerifyToken/x') },
      ),
      mode: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.constantFrom('application/grpc-web+proto', 'application/grpc-web', 'application/grpc-web-text', 'application/grpc-web-text+proto'),
        },
        { weight: 1, arbitrary: fc.constantFrom('application/grpc', 'application/grpc-web+json', 'text/plain', 'application/json') },
      ),
      headers: metadata(tokens).map((entries) => {
        // A browser cannot send HTTP/2 pseudo or hop-by-hop headers; keep what fetch accepts.
        const { ['grpc-encoding']: _encoding, ...rest } = entries;
        return rest;
      }),
      sent: body(tokens),
      textGarbage: fc.oneof(
        { weight: 5, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom('!!!!', 'AAA', '====', 'AA==AA==', 'ÿÿ', 'QUFB\nQUFB') },
      ),
    })
    .map(({ path, mode, headers, sent, textGarbage }) => {
      const text = mode.startsWith('application/grpc-web-text');
      const payloadBody = textGarbage !== undefined && text ? Buffer.from(textGarbage, 'latin1') : text ? Buffer.from(sent.body.toString('base64')) : sent.body;
      return {
        path,
        headers: { ...headers, 'content-type': mode, 'x-grpc-web': '1' },
        body: payloadBody,
        what: `${path} ${mode} ${Object.keys(headers).join(',')} body ${payloadBody.length} B${textGarbage ? ' (bad base64)' : ''}`,
      };
    });
}

/** Runs `numRuns` grpc-web cases through the gateway at `origin`, one at a time. */
export async function fuzzGrpcWeb(
  origin: string,
  tokens: TokenSource,
  options: { numRuns: number; seed?: number; brokenBecause: () => string | undefined },
): Promise<Record<string, number>> {
  const statuses: Record<string, number> = {};
  await fc.assert(
    fc.asyncProperty(grpcWebCases(tokens), async (call) => {
      let response: Response;
      let text: string;
      try {
        response = await fetch(`${origin}${call.path}`, { method: 'POST', headers: call.headers, body: call.body, signal: AbortSignal.timeout(HANG_MS) });
        text = Buffer.from(await response.arrayBuffer()).toString('latin1');
      } catch (error) {
        throw new Error(`no answer to ${call.what}: ${String(error)}; ${options.brokenBecause() ?? 'the stack is still up'}`, { cause: error });
      }
      const problems: string[] = [];
      if (response.status !== 200) {
        statuses[`HTTP ${response.status}`] = (statuses[`HTTP ${response.status}`] ?? 0) + 1;
        if (response.status >= 500) problems.push(`HTTP ${response.status}`);
        if (response.headers.get('content-type') !== 'application/problem+json')
          problems.push(`HTTP ${response.status} is not a problem: ${response.headers.get('content-type')}`);
      } else {
        const status = grpcWebStatus(response.headers, text, (response.headers.get('content-type') ?? '').startsWith('application/grpc-web-text'));
        statuses[status === undefined ? 'none' : GrpcStatus[status]!] = (statuses[status === undefined ? 'none' : GrpcStatus[status]!] ?? 0) + 1;
        if (status === undefined) problems.push('no grpc-status in the headers or the trailer frame');
        else if (SERVER_FAULTS.has(status)) problems.push(`grpc-status ${GrpcStatus[status]}`);
      }
      const broken = options.brokenBecause();
      if (broken) problems.push(`the stack broke: ${broken}`);
      if (problems.length > 0) throw new Error(`${call.what}:\n  ${problems.join('\n  ')}\n  answer: ${text.slice(0, 200)}`);
    }),
    { numRuns: options.numRuns, timeout: CASE_TIMEOUT_MS, ...(options.seed === undefined ? {} : { seed: options.seed }) },
  );
  return statuses;
}

/** grpc-status from the headers (trailers-only) or the trailer frame (flag 0x80) of a grpc-web body. */
function grpcWebStatus(headers: Headers, body: string, textMode: boolean): number | undefined {
  const inHeaders = headers.get('grpc-status');
  if (inHeaders !== null) return Number(inHeaders);
  const bytesOf = textMode ? Buffer.from(body, 'base64') : Buffer.from(body, 'latin1');
  let at = 0;
  while (at + 5 <= bytesOf.length) {
    const flag = bytesOf[at]!;
    const length = bytesOf.readUInt32BE(at + 1);
    const data = bytesOf.subarray(at + 5, at + 5 + length).toString('latin1');
    if (flag & 0x80) {
      const match = /grpc-status:\s*(\d+)/i.exec(data);
      return match ? Number(match[1]) : undefined;
    }
    at += 5 + length;
  }
  return undefined;
}
