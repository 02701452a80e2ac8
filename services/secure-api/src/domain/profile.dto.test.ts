import { describe, expect, it } from 'vitest';
import { toMeResponse } from './profile.dto.js';

describe('toMeResponse', () => {
  it('when given a session and a profile, then it merges them with ISO 8601 times', () => {
    const at = new Date('2026-01-02T03:04:05.678Z');
    const response = toMeResponse(
      {
        uid: 'u1',
        email: 'ada@example.test',
        emailVerified: true,
        displayName: 'token name',
        signInProvider: 'password',
        authTime: 1,
        issuedAt: 1,
        expiresAt: 2,
        level: 'AUTHENTICATED',
        freshAuthMaxAgeS: 300,
      },
      { uid: 'u1', displayName: 'Ada', bio: 'bio', createdAt: at, updatedAt: at },
    );
    expect(response).toEqual({
      uid: 'u1',
      email: 'ada@example.test',
      emailVerified: true,
      displayName: 'Ada',
      bio: 'bio',
      authLevel: 'AUTHENTICATED',
      createdAt: '2026-01-02T03:04:05.678Z',
      updatedAt: '2026-01-02T03:04:05.678Z',
    });
  });
});
