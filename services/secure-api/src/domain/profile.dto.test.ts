import { describe, expect, it } from 'vitest';
import { toMeResponse, updateProfileBody } from './profile.dto.js';

const parse = (body: unknown) => updateProfileBody.safeParse(body);

describe('updateProfileBody', () => {
  it('when displayName and bio are within limits, then it accepts them and trims the name', () => {
    expect(parse({ displayName: '  Ada  ', bio: 'Hi' })).toEqual({
      success: true,
      data: { displayName: 'Ada', bio: 'Hi' },
    });
  });

  it('when the lengths are exactly at the limits, then it accepts them', () => {
    expect(parse({ displayName: 'x'.repeat(50), bio: 'y'.repeat(280) }).success).toBe(true);
    expect(parse({ displayName: 'x', bio: '' }).success).toBe(true);
  });

  it('when the lengths are astral characters exactly at the limits, then it accepts them (code points, not UTF-16 units)', () => {
    const body = { displayName: '🎉'.repeat(50), bio: `${'y'.repeat(279)}🎉` };
    expect(parse(body)).toEqual({ success: true, data: body });
    expect(parse({ displayName: 'x', bio: '🎉'.repeat(280) }).success).toBe(true);
  });

  it.each([
    ['displayName has 51 astral characters', { displayName: '🎉'.repeat(51), bio: '' }],
    ['bio has 281 code points ending in an astral character', { displayName: 'Ada', bio: `${'y'.repeat(280)}🎉` }],
  ])('when %s, then it rejects the body', (_case, body) => {
    expect(parse(body).success).toBe(false);
  });

  it.each([
    ['displayName is empty', { displayName: '', bio: '' }],
    ['displayName is only spaces', { displayName: '   ', bio: '' }],
    ['displayName has 51 characters', { displayName: 'x'.repeat(51), bio: '' }],
    ['bio has 281 characters', { displayName: 'Ada', bio: 'y'.repeat(281) }],
    ['displayName is a number', { displayName: 42, bio: '' }],
    ['bio is null', { displayName: 'Ada', bio: null }],
    ['displayName is missing', { bio: '' }],
    ['bio is missing', { displayName: 'Ada' }],
    ['an unknown field is present', { displayName: 'Ada', bio: '', admin: true }],
    ['the body is an array', [{ displayName: 'Ada', bio: '' }]],
    ['the body is absent', undefined],
  ])('when %s, then it rejects the body', (_case, body) => {
    expect(parse(body).success).toBe(false);
  });
});

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
