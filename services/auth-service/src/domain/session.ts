import type { AuthLevel as ProtoAuthLevel } from '@testbed/protos/auth/v1';

/** What a verified Firebase ID token tells us about its user; safe to cache (it holds no secret). */
export interface VerifiedClaims {
  readonly uid: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly displayName: string;
  readonly signInProvider: string;
  /** Seconds since the epoch when the user last entered credentials. */
  readonly authTime: number;
  /** Seconds since the epoch when this token was minted (`iat`). */
  readonly issuedAt: number;
  /** Seconds since the epoch when this token stops being valid (`exp`). */
  readonly expiresAt: number;
}

/**
 * The level auth-service grades a session with, spelled as the `auth.v1.AuthLevel` enum values
 * (the proto is the only spelling; ts-proto generates it as string literals). A type-only import:
 * the domain does not load gRPC.
 */
export type AuthLevel = Exclude<ProtoAuthLevel, 'AUTH_LEVEL_UNSPECIFIED' | 'UNRECOGNIZED'>;

export interface Session extends VerifiedClaims {
  readonly level: AuthLevel;
}
