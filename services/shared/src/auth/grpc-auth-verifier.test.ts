import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { AuthLevel } from '@testbed/protos/auth/v1';
import { describe, expect, it } from 'vitest';
import { appErrorFromGrpc, sessionFromResponse } from './grpc-auth-verifier.js';

const serviceError = (code: GrpcStatus, details: string): ServiceError =>
  Object.assign(new Error(`${code} ${GrpcStatus[code]}: ${details}`), { code, details, metadata: new Metadata() });

const protoSession = {
  uid: 'u1',
  email: 'a@example.test',
  emailVerified: false,
  displayName: '',
  signInProvider: 'password',
  authTime: 10,
  issuedAt: 11,
  expiresAt: 3611,
};

describe('appErrorFromGrpc', () => {
  it.each([
    [GrpcStatus.UNAUTHENTICATED, 'unauthenticated'],
    [GrpcStatus.INVALID_ARGUMENT, 'invalid-argument'],
    [GrpcStatus.UNAVAILABLE, 'unavailable'],
    [GrpcStatus.DEADLINE_EXCEEDED, 'deadline-exceeded'],
    [GrpcStatus.INTERNAL, 'internal'],
  ] as const)('when auth-service answers status %i, then the error kind is %s', (code, kind) => {
    const error = appErrorFromGrpc(serviceError(code, 'reason'));
    expect(error.kind).toBe(kind);
    expect(error.message).toBe('reason');
  });

  it('when the failure is not a gRPC status at all, then it counts as unavailable', () => {
    expect(appErrorFromGrpc(new TypeError('boom')).kind).toBe('unavailable');
  });
});

describe('sessionFromResponse', () => {
  const response = (level: AuthLevel, freshAuthMaxAgeSeconds = 300) => ({
    session: { ...protoSession, level },
    freshAuthMaxAgeSeconds,
  });

  it('when the level is AUTHENTICATED, then the session is AUTHENTICATED', () => {
    expect(sessionFromResponse(response(AuthLevel.AUTH_LEVEL_AUTHENTICATED)).level).toBe('AUTHENTICATED');
  });

  it.each([AuthLevel.AUTH_LEVEL_AUTHORIZED, AuthLevel.AUTH_LEVEL_UNSPECIFIED, AuthLevel.UNRECOGNIZED])(
    'when the level is %s, then the session is only AUTHORIZED',
    (level) => {
      expect(sessionFromResponse(response(level))).toEqual({ ...protoSession, level: 'AUTHORIZED', freshAuthMaxAgeS: 300 });
    },
  );

  it("when auth-service announces its fresh sign-in window, then the session carries it as the step-up's max_age", () => {
    expect(sessionFromResponse(response(AuthLevel.AUTH_LEVEL_AUTHORIZED, 240)).freshAuthMaxAgeS).toBe(240);
  });

  it('when auth-service does not announce a window (an older server sends 0), then there is none', () => {
    expect(sessionFromResponse(response(AuthLevel.AUTH_LEVEL_AUTHORIZED, 0)).freshAuthMaxAgeS).toBeUndefined();
  });

  it('when the answer has no session, then it is unavailable, not a bad token', () => {
    expect(() => sessionFromResponse({ session: undefined, freshAuthMaxAgeSeconds: 300 })).toThrow(expect.objectContaining({ kind: 'unavailable' }));
  });
});
