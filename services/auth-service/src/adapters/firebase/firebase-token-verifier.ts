import { randomUUID } from 'node:crypto';
import { applicationDefault, deleteApp, initializeApp, type App } from 'firebase-admin/app';
import { getAuth, type Auth, type DecodedIdToken } from 'firebase-admin/auth';
import { AppError, TimeoutError, withTimeout } from '@testbed/service-kit';
import type { TokenVerifier } from '../../domain/ports.js';
import type { VerifiedClaims } from '../../domain/session.js';
import { toVerificationError } from './firebase-errors.js';

export type VerificationResult = 'ok' | 'rejected' | 'error';

export interface FirebaseTokenVerifierOptions {
  readonly projectId: string;
  /** Counts every call into firebase-admin by outcome. */
  readonly onVerification: (result: VerificationResult) => void;
  /**
   * firebase-admin sets no timeout when it fetches Google's keys (and retries 503s with backoff),
   * so a stalled endpoint would hold the call forever; past this we answer UNAVAILABLE instead.
   */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * Verifies ID tokens with firebase-admin. When FIREBASE_AUTH_EMULATOR_HOST is set, firebase-admin
 * itself reads it and accepts the emulator's unsigned tokens; config.ts refuses that in production.
 */
export class FirebaseTokenVerifier implements TokenVerifier {
  private readonly app: App;
  private readonly auth: Auth;

  constructor(private readonly options: FirebaseTokenVerifierOptions) {
    // A named app per instance, so several services (or tests) can share one process.
    // applicationDefault() reads GOOGLE_APPLICATION_CREDENTIALS; it is only used for calls that
    // need Google credentials (checkRevoked against a real project), never for signature checks.
    this.app = initializeApp({ projectId: options.projectId, credential: applicationDefault() }, `auth-service-${randomUUID()}`);
    this.auth = getAuth(this.app);
  }

  /**
   * With `checkRevoked`, firebase-admin also looks the user up (Identity Toolkit accounts:lookup,
   * with the service account's access token) and rejects a disabled user or a token whose
   * `auth_time` is before the user's `tokensValidAfterTime`; without it, that lookup happens only
   * against the emulator. The wait is the shorter of `options.timeoutMs` and the configured one.
   */
  async verify(idToken: string, checkRevoked: boolean, options: { timeoutMs?: number } = {}): Promise<VerifiedClaims> {
    const timeoutMs = Math.min(options.timeoutMs ?? Infinity, this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    let decoded: DecodedIdToken;
    try {
      decoded = await withTimeout(this.auth.verifyIdToken(idToken, checkRevoked), timeoutMs, 'firebase-admin verification');
    } catch (error) {
      const appError =
        error instanceof TimeoutError ? new AppError('unavailable', 'token verification timed out', { cause: error }) : toVerificationError(error);
      this.options.onVerification(appError.kind === 'unauthenticated' ? 'rejected' : 'error');
      throw appError;
    }
    this.options.onVerification('ok');
    return claimsOf(decoded);
  }

  close(): Promise<void> {
    return deleteApp(this.app);
  }
}

function claimsOf(token: DecodedIdToken): VerifiedClaims {
  const name: unknown = token['name'];
  return {
    uid: token.uid,
    email: token.email ?? '',
    emailVerified: token.email_verified ?? false,
    displayName: typeof name === 'string' ? name : '',
    signInProvider: token.firebase.sign_in_provider,
    authTime: token.auth_time,
    issuedAt: token.iat,
    expiresAt: token.exp,
  };
}
