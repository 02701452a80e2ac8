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

export type AuthLevel = 'authorized' | 'authenticated';

export interface Session extends VerifiedClaims {
  readonly level: AuthLevel;
}
