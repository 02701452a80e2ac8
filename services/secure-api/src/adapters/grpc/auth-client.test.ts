import { Metadata, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { AuthLevel } from '@testbed/protos/auth/v1';
import { describe, expect, it } from 'vitest';
import { appErrorFromGrpc, sessionFromProto } from './auth-client.js';

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

describe('sessionFromProto', () => {
  it('when the level is AUTHENTICATED, then the session is AUTHENTICATED', () => {
    expect(sessionFromProto({ ...protoSession, level: AuthLevel.AUTH_LEVEL_AUTHENTICATED }).level).toBe('AUTHENTICATED');
  });

  it.each([AuthLevel.AUTH_LEVEL_AUTHORIZED, AuthLevel.AUTH_LEVEL_UNSPECIFIED, AuthLevel.UNRECOGNIZED])(
    'when the level is %i, then the session is only AUTHORIZED',
    (level) => {
      expect(sessionFromProto({ ...protoSession, level })).toEqual({ ...protoSession, level: 'AUTHORIZED' });
    },
  );
});
