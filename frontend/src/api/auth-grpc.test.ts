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
 * Stands in for the browser's XMLHttpRequest so the test sees the exact bytes the grpc-web runtime
 * sends and feeds it a hand-made response.
 */
function installFakeXhr(respond: (request: SentRequest) => { status?: number; headers?: Record<string, string>; body: Uint8Array }) {
  const sent: SentRequest[] = [];
  class FakeXhr {
    readyState = 0;
    status = 0;
    statusText = '';
    responseType = '';
    response: ArrayBuffer | null = null;
    responseText = '';
    withCredentials = false;
    onreadystatechange: (() => void) | null = null;
    onprogress: (() => void) | null = null;
    private method = '';
    private url = '';
    private requestHeaders: Record<string, string> = {};
    private responseHeaders: Record<string, string> = {};
    open(method: string, url: string) {
      this.method = method;
      this.url = url;
      this.readyState = 1;
    }
    setRequestHeader(name: string, value: string) {
      this.requestHeaders[name.toLowerCase()] = value;
    }
    overrideMimeType() {}
    abort() {}
    addEventListener() {}
    removeEventListener() {}
    getResponseHeader(name: string) {
      return this.responseHeaders[name.toLowerCase()] ?? null;
    }
    getAllResponseHeaders() {
      return Object.entries(this.responseHeaders)
        .map(([k, v]) => `${k}: ${v}\r\n`)
        .join('');
    }
    send(body: ArrayBuffer | Uint8Array) {
      const request = { method: this.method, url: this.url, headers: this.requestHeaders, body: new Uint8Array(body instanceof Uint8Array ? body : body) };
      sent.push(request);
      const answer = respond(request);
      setTimeout(() => {
        this.status = answer.status ?? 200;
        this.responseHeaders = { 'content-type': 'application/grpc-web+proto', ...answer.headers };
        this.readyState = 2;
        this.onreadystatechange?.();
        this.response = answer.body.slice().buffer;
        this.readyState = 3;
        this.onreadystatechange?.();
        this.readyState = 4;
        this.onreadystatechange?.();
      }, 0);
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
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
    const sent = installFakeXhr(() => ({ body: concat(frame(0, Session.encode(session).finish()), trailers('grpc-status:0\r\ngrpc-message:\r\n')) }));

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
    installFakeXhr(() => ({ body: concat(frame(0, Session.encode(session).finish()), trailers('grpc-status:0\r\ngrpc-message:\r\n')) }));

    await expect(createAuthServiceClient('https://app.example').getSession(tokens('t'))).resolves.toEqual(session);
  });

  it('when the trailers carry UNAUTHENTICATED, then the call fails with that code and a readable message', async () => {
    installFakeXhr(() => ({ body: trailers('grpc-status:16\r\ngrpc-message:token%20expired\r\n') }));

    const error = await createAuthServiceClient('https://app.example').getSession(tokens('t')).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AuthServiceError);
    expect((error as AuthServiceError).code).toBe(16);
    expect((error as AuthServiceError).message).toMatch(/sign in again/i);
  });

  it('when the token is refused as UNAUTHENTICATED (expired), then one fresh token is forced and the call retried once', async () => {
    const sent = installFakeXhr((request) =>
      request.headers['authorization'] === 'Bearer stale-token' ? { body: trailers('grpc-status:16\r\ngrpc-message:expired\r\n') } : { body: ok() },
    );
    const source = tokens('stale-token');

    await expect(createAuthServiceClient('https://app.example').getSession(source)).resolves.toEqual(session);

    expect(sent.map((request) => request.headers['authorization'])).toEqual(['Bearer stale-token', 'Bearer fresh-token']);
    expect(source.getToken.mock.calls).toEqual([[false], [true]]);
  });

  it('when the fresh token is refused too, then the error surfaces after exactly two calls', async () => {
    const sent = installFakeXhr(() => ({ body: trailers('grpc-status:16\r\ngrpc-message:revoked\r\n') }));

    const error = await createAuthServiceClient('https://app.example').getSession(tokens('t')).catch((e: unknown) => e);

    expect((error as AuthServiceError).code).toBe(16);
    expect(sent).toHaveLength(2);
  });

  it('when the failure is not about the token, then no refresh is forced', async () => {
    const sent = installFakeXhr(() => ({ body: trailers('grpc-status:14\r\ngrpc-message:down\r\n') }));
    const source = tokens('t');

    await createAuthServiceClient('https://app.example').getSession(source).catch(() => undefined);

    expect(sent).toHaveLength(1);
    expect(source.getToken.mock.calls).toEqual([[false]]);
  });

  it('when the status comes as trailers-only headers, then the call fails with that code', async () => {
    installFakeXhr(() => ({ headers: { 'grpc-status': '14', 'grpc-message': 'down' }, body: new Uint8Array() }));

    const error = await createAuthServiceClient('https://app.example').getSession(tokens('t')).catch((e: unknown) => e);

    expect((error as AuthServiceError).code).toBe(14);
  });
});
