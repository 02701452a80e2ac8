import { describe, expect, it } from 'vitest';
import { ALLOWED_CLOCK_SKEW_S, checkTokenTimes, MAX_ID_TOKEN_LIFETIME_S } from './token-times.js';

const NOW = 1_700_000_000;
const times = (overrides: Partial<{ issuedAt: number; authTime: number; expiresAt: number }> = {}) => ({
  issuedAt: NOW - 10,
  authTime: NOW - 10,
  expiresAt: NOW - 10 + MAX_ID_TOKEN_LIFETIME_S,
  ...overrides,
});

describe('checkTokenTimes', () => {
  it.each([
    ['iat and auth_time are in the past', times()],
    ['iat is exactly at the skew limit', times({ issuedAt: NOW + ALLOWED_CLOCK_SKEW_S, expiresAt: NOW + ALLOWED_CLOCK_SKEW_S + 3600 })],
    ['auth_time is exactly at the skew limit', times({ authTime: NOW + ALLOWED_CLOCK_SKEW_S })],
  ])('when %s, then the token passes', (_case, claims) => {
    expect(() => checkTokenTimes(claims, NOW)).not.toThrow();
  });

  it.each([
    ['iat is one second past the skew', times({ issuedAt: NOW + ALLOWED_CLOCK_SKEW_S + 1 }), 'iat'],
    ['iat is a day ahead', times({ issuedAt: NOW + 86_400, expiresAt: NOW + 86_400 + 3600 }), 'iat'],
    ['auth_time is one second past the skew', times({ authTime: NOW + ALLOWED_CLOCK_SKEW_S + 1 }), 'auth_time'],
    ['exp is a day after iat', times({ expiresAt: NOW + 86_400 }), 'exp'],
  ])('when %s, then it is unauthenticated naming %s', (_case, claims, claim) => {
    expect(() => checkTokenTimes(claims, NOW)).toThrow(expect.objectContaining({ kind: 'unauthenticated', message: expect.stringContaining(claim) }));
  });
});
