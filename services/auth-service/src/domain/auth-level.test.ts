import { describe, expect, it } from 'vitest';
import { authLevelFor } from './auth-level.js';

const now = 1_700_000_000;
const window = 300;

describe('authLevelFor', () => {
  it('when the sign-in is fresh and the token is the newest, then it is authenticated', () => {
    expect(authLevelFor({ claims: { authTime: now - 10, issuedAt: now - 10 }, now, freshAuthWindowS: window, newestIssuedAt: now - 10 })).toBe(
      'AUTH_LEVEL_AUTHENTICATED',
    );
  });

  it('when the sign-in is exactly at the window edge, then it still counts as fresh', () => {
    expect(authLevelFor({ claims: { authTime: now - window, issuedAt: now - 5 }, now, freshAuthWindowS: window, newestIssuedAt: now - 5 })).toBe(
      'AUTH_LEVEL_AUTHENTICATED',
    );
  });

  it('when the sign-in is one second past the window, then it is only authorized', () => {
    expect(
      authLevelFor({
        claims: { authTime: now - window - 1, issuedAt: now - 5 },
        now,
        freshAuthWindowS: window,
        newestIssuedAt: now - 5,
      }),
    ).toBe('AUTH_LEVEL_AUTHORIZED');
  });

  it('when a newer token was seen for the user, then an older fresh one is only authorized', () => {
    expect(authLevelFor({ claims: { authTime: now - 20, issuedAt: now - 20 }, now, freshAuthWindowS: window, newestIssuedAt: now - 5 })).toBe(
      'AUTH_LEVEL_AUTHORIZED',
    );
  });

  it('when the session state is unknown, then the level is capped at authorized', () => {
    expect(authLevelFor({ claims: { authTime: now, issuedAt: now }, now, freshAuthWindowS: window, newestIssuedAt: undefined })).toBe('AUTH_LEVEL_AUTHORIZED');
  });
});
