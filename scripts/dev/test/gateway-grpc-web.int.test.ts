import { GetSessionRequest, Session, VerifyTokenRequest, VerifyTokenResponse } from '@testbed/protos/auth/v1/web';
import { freePort } from '@testbed/service-kit/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type Gateway } from '../gateway/gateway.js';
import { GOOD_TOKEN, startFakeAuthService, type FakeAuthService } from './fake-auth-service.js';
import { grpcWebCall } from './grpc-web-client.js';

const GET_SESSION = '/auth.v1.AuthService/GetSession';
const VERIFY_TOKEN = '/auth.v1.AuthService/VerifyToken';
const emptyRequest = GetSessionRequest.encode({}).finish();

describe('dev gateway, grpc-web route', { timeout: 30_000 }, () => {
  let auth: FakeAuthService;
  let gateway: Gateway;

  beforeAll(async () => {
    auth = await startFakeAuthService();
    gateway = await startGateway({
      port: 0,
      spa: 'placeholder',
      emulatorHost: '127.0.0.1:9099',
      servicePorts: { 'auth-service': auth.port },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await auth?.stop();
  });

  it('when a binary grpc-web call succeeds, then the message and grpc-status 0 come back in grpc-web frames', async () => {
    const result = await grpcWebCall(`${gateway.url}${GET_SESSION}`, emptyRequest, {
      headers: { authorization: `Bearer ${GOOD_TOKEN}` },
    });
    expect(result.httpStatus).toBe(200);
    expect(result.contentType).toBe('application/grpc-web+proto');
    expect(result.messages).toHaveLength(1);
    const session = Session.decode(result.messages[0] ?? new Uint8Array());
    expect(session).toMatchObject({ uid: 'user-1', email: 'user-1@example.test' });
    expect(result.trailers['grpc-status']).toBe('0');
  });

  it('when a text-mode call carries a request message, then it is decoded, sent as gRPC and answered in base64', async () => {
    const request = VerifyTokenRequest.encode({ idToken: GOOD_TOKEN, checkRevoked: false }).finish();
    const result = await grpcWebCall(`${gateway.url}${VERIFY_TOKEN}`, request, { text: true });
    expect(result.contentType).toBe('application/grpc-web-text');
    expect(result.status).toBe(0);
    const response = VerifyTokenResponse.decode(result.messages[0] ?? new Uint8Array());
    expect(response.session?.uid).toBe('user-1');
    // Trailing metadata set by the server travels in the trailer frame.
    expect(result.trailers['x-verified-by']).toBe('fake-auth-service');
  });

  it('when a text-mode body arrives as separately padded chunks, then it is still decoded', async () => {
    const request = VerifyTokenRequest.encode({ idToken: GOOD_TOKEN, checkRevoked: true }).finish();
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, request.length]), request]);
    const chunked = [frame.subarray(0, 4), frame.subarray(4)].map((part) => part.toString('base64')).join('');
    expect(chunked.slice(0, 8)).toMatch(/=/);
    const result = await grpcWebCall(`${gateway.url}${VERIFY_TOKEN}`, request, { text: true, body: chunked });
    expect(result.status).toBe(0);
    expect(VerifyTokenResponse.decode(result.messages[0] ?? new Uint8Array()).session?.uid).toBe('user-1');
  });

  it('when the server refuses the call, then the grpc-status and message arrive trailers-only in the headers', async () => {
    for (const text of [false, true]) {
      const result = await grpcWebCall(`${gateway.url}${GET_SESSION}`, emptyRequest, { text });
      expect(result.httpStatus).toBe(200);
      expect(result.messages).toHaveLength(0);
      expect(result.headers.get('grpc-status')).toBe('16');
      expect(result.statusMessage).toBe('missing or invalid bearer token');
    }
  });

  it('when the caller sets a short deadline and the server hangs, then the call ends with DEADLINE_EXCEEDED', async () => {
    const request = VerifyTokenRequest.encode({ idToken: 'hang', checkRevoked: false }).finish();
    const result = await grpcWebCall(`${gateway.url}${VERIFY_TOKEN}`, request, { headers: { 'grpc-timeout': '300m' } });
    expect(result.status).toBe(4);
  });

  it('when the request body is larger than the route allows, then the call ends with RESOURCE_EXHAUSTED', async () => {
    const request = VerifyTokenRequest.encode({ idToken: 'x'.repeat(20_000), checkRevoked: false }).finish();
    const result = await grpcWebCall(`${gateway.url}${VERIFY_TOKEN}`, request);
    expect(result.status).toBe(8);
  });

  it('when a browser sends OPTIONS, GET or a non-grpc-web body, then it gets 204, 405 and 415', async () => {
    const options = await fetch(`${gateway.url}${GET_SESSION}`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST, OPTIONS');
    const get = await fetch(`${gateway.url}${GET_SESSION}`);
    expect(get.status).toBe(405);
    expect(get.headers.get('content-type')).toBe('application/problem+json');
    const json = await fetch(`${gateway.url}${GET_SESSION}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
  });

  it('when many calls run at once, then every one succeeds', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => grpcWebCall(`${gateway.url}${GET_SESSION}`, emptyRequest, { headers: { authorization: `Bearer ${GOOD_TOKEN}` } })),
    );
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(0));
  });
});

describe('dev gateway, grpc-web route with the upstream down or restarted', { timeout: 30_000 }, () => {
  it('when auth-service is not listening, then the call ends with UNAVAILABLE (14)', async () => {
    const gateway = await startGateway({
      port: 0,
      spa: 'placeholder',
      emulatorHost: '127.0.0.1:9099',
      servicePorts: { 'auth-service': await freePort() },
    });
    try {
      for (const text of [false, true]) {
        const result = await grpcWebCall(`${gateway.url}${GET_SESSION}`, emptyRequest, { text });
        expect(result.httpStatus).toBe(200);
        expect(result.status).toBe(14);
      }
    } finally {
      await gateway.close();
    }
  });

  it('when auth-service restarts, then the next call reconnects and succeeds', async () => {
    const port = await freePort();
    let auth = await startFakeAuthService(port);
    const gateway = await startGateway({ port: 0, spa: 'placeholder', emulatorHost: '127.0.0.1:9099', servicePorts: { 'auth-service': port } });
    const call = () => grpcWebCall(`${gateway.url}${GET_SESSION}`, emptyRequest, { headers: { authorization: `Bearer ${GOOD_TOKEN}` } });
    try {
      expect((await call()).status).toBe(0);
      await auth.stop();
      auth = await startFakeAuthService(port);
      expect((await call()).status).toBe(0);
    } finally {
      await gateway.close();
      await auth.stop();
    }
  });
});
