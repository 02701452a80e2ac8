import { describe, expect, it } from 'vitest';
import { toVerificationError } from './firebase-errors.js';

const firebaseError = (code: string, message = 'detail') => Object.assign(new Error(message), { code });

describe('toVerificationError', () => {
  it.each([
    ['auth/id-token-expired', 'token expired'],
    ['auth/id-token-revoked', 'token revoked'],
    ['auth/user-disabled', 'user disabled'],
    ['auth/argument-error', 'invalid token'],
    ['auth/invalid-id-token', 'invalid token'],
  ])('when firebase-admin says %s, then it is unauthenticated: %s', (code, reason) => {
    expect(toVerificationError(firebaseError(code))).toMatchObject({ kind: 'unauthenticated', message: reason });
  });

  it.each(['app/network-error', 'app/network-timeout', 'auth/internal-error'])('when firebase-admin says %s, then it is unavailable', (code) => {
    expect(toVerificationError(firebaseError(code))).toMatchObject({ kind: 'unavailable' });
  });

  it.each(['Error fetching public keys for Google certs: backend error', 'Error while making request: connect ECONNREFUSED. Error code: ECONNREFUSED'])(
    'when the keys could not be fetched (%s), then it is unavailable, not a bad token',
    (message) => {
      expect(toVerificationError(firebaseError('auth/argument-error', message))).toMatchObject({ kind: 'unavailable' });
    },
  );

  it('when the error is not from Firebase at all, then it is unavailable and hides the detail', () => {
    const error = toVerificationError(new TypeError('secret internals'));

    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(error.message).not.toContain('secret internals');
  });
});
