import { randomUUID } from 'node:crypto';
import type { AuthEndpoints } from './auth-endpoints.js';
import { requestJson, RequestError } from './http.js';

/** Refresh this long before the token's expiry, as the Firebase SDK does (5 minutes). */
const REFRESH_MARGIN_MS = 5 * 60_000;

interface TokenAnswer {
  readonly localId: string;
  readonly idToken: string;
  readonly refreshToken: string;
  readonly expiresIn: string;
}

/**
 * One virtual user's email/password account and Firebase session, driven through the Identity
 * Toolkit REST API the Firebase JS SDK calls (accounts:signUp, accounts:signInWithPassword,
 * securetoken token refresh). Tokens are kept in memory only and never logged.
 */
export class UserSession {
  readonly email = `loadgen-${randomUUID()}@example.test`;
  private readonly password = `pw-${randomUUID()}`;
  private idToken: string | undefined;
  private refreshToken: string | undefined;
  private expiresAt = 0;
  private signedUp = false;

  constructor(
    private readonly auth: AuthEndpoints,
    private readonly timeoutMs: number,
  ) {}

  get hasAccount(): boolean {
    return this.signedUp;
  }

  get signedIn(): boolean {
    return this.idToken !== undefined;
  }

  async signUp(): Promise<void> {
    this.store(await this.call<TokenAnswer>('accounts:signUp', { email: this.email, password: this.password, returnSecureToken: true }));
    this.signedUp = true;
  }

  /** A fresh sign-in: a new token with a new `auth_time` (what a step-up asks for). */
  async signIn(): Promise<void> {
    this.store(await this.call<TokenAnswer>('accounts:signInWithPassword', { email: this.email, password: this.password, returnSecureToken: true }));
  }

  signOut(): void {
    this.idToken = this.refreshToken = undefined;
    this.expiresAt = 0;
  }

  /** The current ID token, refreshed when it is about to expire or when `forceRefresh`. */
  async getToken(forceRefresh = false): Promise<string> {
    if (!this.idToken || !this.refreshToken) throw new Error('not signed in');
    if (forceRefresh || Date.now() > this.expiresAt - REFRESH_MARGIN_MS) {
      const answer = await requestJson<{ id_token: string; refresh_token: string; expires_in: string }>(
        `${this.auth.secureToken}/token?key=${encodeURIComponent(this.auth.apiKey)}`,
        { method: 'POST', form: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.refreshToken }), timeoutMs: this.timeoutMs },
      );
      this.idToken = answer.id_token;
      this.refreshToken = answer.refresh_token;
      this.expiresAt = Date.now() + Number(answer.expires_in) * 1000;
    }
    return this.idToken;
  }

  /**
   * Runs a secure call as the SPA's api/step-up.ts and api/token-refresh.ts do: a refused token is
   * refreshed once and the call retried; an RFC 9470 step-up challenge signs in again and retries once.
   */
  async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    try {
      return await call(await this.getToken());
    } catch (error) {
      if (!(error instanceof RequestError) || error.status !== 401) throw error;
      if (error.wwwAuthenticate?.includes('insufficient_user_authentication')) await this.signIn();
      else await this.getToken(true);
    }
    return call(await this.getToken());
  }

  private call<T>(endpoint: string, body: Record<string, unknown>): Promise<T> {
    return requestJson<T>(`${this.auth.identityToolkit}/${endpoint}?key=${encodeURIComponent(this.auth.apiKey)}`, {
      method: 'POST',
      body,
      timeoutMs: this.timeoutMs,
    });
  }

  private store(answer: TokenAnswer): void {
    this.idToken = answer.idToken;
    this.refreshToken = answer.refreshToken;
    this.expiresAt = Date.now() + Number(answer.expiresIn) * 1000;
  }
}
