import { setTimeout as sleep } from 'node:timers/promises';
import { AuthLevel, Session } from '@testbed/protos/auth/v1/web';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AuthServiceError, createAuthServiceClient } from './auth-grpc.js';

interface SentRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** A grpc-web frame: flag byte (0x00 data, 0x80 trailers), 4-byte big-endian length, payload. */
function frame(flag: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + payload.length);
  out[0] = flag;
  new DataView(out.buffer).setUint32(1, payload.length);
  out.set(payload, 5);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

const trailers = (text: string) => frame(0x80, new TextEncoder().encode(text));

/**
 * Stands in for the browser's fetch so the test sees the exact bytes the grpc-web client sends and
 * feeds it a hand-made response.
 */
function installFakeFetch(respond: (request: SentRequest) => { status?: number; headers?: Record<string, string>; body: Uint8Array }) {
  const sent: SentRequest[] = [];
  const fakeFetch = async (url: string, init: RequestInit) => {
    const headers = Object.fromEntries([...new Headers(init.headers).entries()].map(([k, v]) => [k.toLowerCase(), v]));
    const request = { method: init.method ?? 'GET', url, headers, body: new Uint8Array(init.body as Uint8Array) };
    sent.push(request);
    const answer = respond(request);
    // A real network answer never arrives in the same tick as the request.
    await sleep(0);
    return new Response(answer.body.slice(), {
      status: answer.status ?? 200,
      headers: { 'content-type': 'application/grpc-web+proto', ...answer.headers },
    });
  };
  vi.stubGlobal('fetch', fakeFetch);
  return sent;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A token source that hands out `current` until forced to refresh, then `fresh`. */
const tokens = (current: string, fresh = 'fresh-token') => ({ getToken: vi.fn(async (force: boolean) => (force ? fresh : current)) });

const ok = () => concat(frame(0, Session.encode(session).finish()), trailers('grpc-status:0\r\ngrpc-message:\r\n'));

const session: Session = {
  uid: 'user-1',
  email: 'a@example.test',
  emailVerified: false,
  displayName: 'Ada',
  signInProvider: 'password',
  authTime: 1_700_000_000,
  issuedAt: 1_700_000_100,
  expiresAt: 1_700_003_700,
  level: AuthLevel.AUTH_LEVEL_AUTHENTICATED,
};

describe('AuthService grpc-web client', () => {
  it('when GetSession is called, then it POSTs one empty binary frame with the bearer token to the method path', async () => {
    const sent = installFakeFetch(() => ({ body: concat(frame(0, Session.encode(session).finish()), trailers('grpc-status:0\r\ngrpc-message:\r\n')) }));

    await createAuthServiceClient('https://app.example').getSession(tokens('token-123'));

    expect(sent).toHaveLength(1);
    const request = sent[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://app.example/auth.v1.AuthService/GetSession');
    expect(request.headers['content-type']).toBe('application/grpc-web+proto');
    expect(request.headers['authorization']).toBe('Bearer token-123');
    expect(request.headers['x-grpc-web']).toBe('1');
    expect(request.headers['grpc-timeout']).toMatch(/^\d+m$/);
    // GetSessionRequest {} encodes to zero bytes: the frame is just the 5-byte header.
    expect([...request.body]).toEqual([0, 0, 0, 0, 0]);
  });

  it('when the answer is a data frame plus OK trailers, then the decoded Session is returned', async () => {
    installFakeFetch(() => ({ body: concat(frame(0, Session.encode(session).finish()), trailers('grpc-status:0\r\ngrpc-message:\r\n')) }));

    await expect(createAuthServiceClient('https://app.example').getSession(tokens('t'))).resolves.toEqual(session);
  });

  it('when the trailers carry UNAUTHENTICATED, then the call fails with that code and a readable message', async () => {
    installFakeFetch(() => ({ body: trailers('grpc-status:16\r\ngrpc-message:token%20expired\r\n') }));

    const error = await createAuthServiceClient('https://app.example')
      .getSession(tokens('t'))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthServiceError);
    expect((error as AuthServiceError).code).toBe(16);
    expect((error as AuthServiceError).message).toMatch(/sign in again/i);
  });

  it('when the token is refused as UNAUTHENTICATED (expired), then one fresh token is forced and the call retried once', async () => {
    const sent = installFakeFetch((request) =>
      request.headers['authorization'] === 'Bearer stale-token' ? { body: trailers('grpc-status:16\r\ngrpc-message:expired\r\n') } : { body: ok() },
    );
    const source = tokens('stale-token');

    await expect(createAuthServiceClient('https://app.example').getSession(source)).resolves.toEqual(session);

    expect(sent.map((request) => request.headers['authorization'])).toEqual(['Bearer stale-token', 'Bearer fresh-token']);
    expect(source.getToken.mock.calls).toEqual([[false], [true]]);
  });

  it('when the fresh token is refused too, then the error surfaces after exactly two calls', async () => {
    const sent = installFakeFetch(() => ({ body: trailers('grpc-status:16\r\ngrpc-message:revoked\r\n') }));

    const error = await createAuthServiceClient('https://app.example')
      .getSession(tokens('t'))
      .catch((e: unknown) => e);

    expect((error as AuthServiceError).code).toBe(16);
    expect(sent).toHaveLength(2);
  });

  it('when the failure is not about the token, then no refresh is forced', async () => {
    const sent = installFakeFetch(() => ({ body: trailers('grpc-status:14\r\ngrpc-message:down\r\n') }));
    const source = tokens('t');

    await createAuthServiceClient('https://app.example')
      .getSession(source)
      .catch(() => undefined);

    expect(sent).toHaveLength(1);
    expect(source.getToken.mock.calls).toEqual([[false]]);
  });

  it('when the status comes as trailers-only headers, then the call fails with that code', async () => {
    installFakeFetch(() => ({ headers: { 'grpc-status': '14', 'grpc-message': 'down' }, body: new Uint8Array() }));

    const error = await createAuthServiceClient('https://app.example')
      .getSession(tokens('t'))
      .catch((e: unknown) => e);

    expect((error as AuthServiceError).code).toBe(14);
  });
});
