import type { AuthLevel as ProtoAuthLevel, Session as SessionMessage } from '@testbed/protos/auth/v1';

/**
 * What a verified Firebase ID token tells us about its user; safe to cache (it holds no secret).
 * The `auth.v1.Session` message without its level: the proto is the one definition of the shape
 * (times are seconds since the Unix epoch; see the field comments there). A type-only import.
 */
export type VerifiedClaims = Readonly<Omit<SessionMessage, 'level'>>;

/**
 * The level auth-service grades a session with, spelled as the `auth.v1.AuthLevel` enum values
 * (the proto is the only spelling; ts-proto generates it as string literals). A type-only import:
 * the domain does not load gRPC.
 */
export type AuthLevel = Exclude<ProtoAuthLevel, 'AUTH_LEVEL_UNSPECIFIED' | 'UNRECOGNIZED'>;

export interface Session extends VerifiedClaims {
  readonly level: AuthLevel;
}
