/** How much a request's token proves: any valid token is AUTHORIZED; a fresh, newest sign-in is AUTHENTICATED. */
export type AuthLevel = 'AUTHORIZED' | 'AUTHENTICATED';

/** A verified caller, as auth-service vouched for it. Times are seconds since the Unix epoch. */
export interface VerifiedSession {
  readonly uid: string;
  readonly email: string;
  readonly emailVerified: boolean;
  readonly displayName: string;
  readonly signInProvider: string;
  readonly authTime: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  readonly level: AuthLevel;
}
