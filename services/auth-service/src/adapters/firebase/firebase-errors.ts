import { AppError } from '@testbed/service-kit';

// firebase-admin reports a failed fetch of Google's public keys as an `auth/argument-error`
// carrying the fetch error's message, so the message is the only way to tell it apart from a bad
// token: https://github.com/firebase/firebase-admin-node/blob/master/src/auth/token-verifier.ts
const KEY_FETCH_FAILURE = /^(Error fetching public keys|Error while making request|Error fetching Json Web Keys)/;

const UNAVAILABLE_CODES = new Set(['app/network-error', 'app/network-timeout', 'auth/internal-error']);

const REASONS: Readonly<Record<string, string>> = {
  'auth/id-token-expired': 'token expired',
  'auth/id-token-revoked': 'token revoked',
  'auth/user-disabled': 'user disabled',
  'auth/user-not-found': 'user not found',
};

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Turns what firebase-admin throws into an AppError: our trouble reaching Google (or the
 * emulator) is UNAVAILABLE, so callers retry instead of signing the user out; everything
 * else about the token is UNAUTHENTICATED with a short reason that leaks no detail.
 */
export function toVerificationError(error: unknown): AppError {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : '';
  if ((code !== undefined && UNAVAILABLE_CODES.has(code)) || KEY_FETCH_FAILURE.test(message)) {
    return new AppError('unavailable', 'token verification is temporarily unavailable', { cause: error });
  }
  if (code?.startsWith('auth/')) {
    return new AppError('unauthenticated', REASONS[code] ?? 'invalid token', { cause: error });
  }
  // Not a Firebase error at all (a bug, or a dependency failing in an unexpected way).
  return new AppError('unavailable', 'token verification failed unexpectedly', { cause: error });
}
