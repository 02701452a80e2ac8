import { describe, expect, it } from 'vitest';
import { MemoryProfileStore } from '../adapters/memory/profile.store.js';
import { getMyProfile, initialDisplayName } from './my-profile.js';
import type { VerifiedSession } from './session.js';

describe('initialDisplayName', () => {
  it('when the token carries a name, then the profile starts with it', () => {
    expect(initialDisplayName({ displayName: 'Ada Lovelace', email: 'ada@example.test' })).toBe('Ada Lovelace');
  });

  it("when the token has no name, then the email's local part is used", () => {
    expect(initialDisplayName({ displayName: '  ', email: 'grace.hopper@example.test' })).toBe('grace.hopper');
  });

  it('when there is neither a name nor an email, then a neutral placeholder is used', () => {
    expect(initialDisplayName({ displayName: '', email: '' })).toBe('user');
  });

  it('when the name is longer than 50 characters, then it is cut without splitting a character', () => {
    const name = initialDisplayName({ displayName: '🚀'.repeat(60), email: '' });
    expect(Array.from(name)).toHaveLength(50);
    expect(name).toBe('🚀'.repeat(50));
  });
});

describe('getMyProfile', () => {
  const session = { uid: 'u-get', displayName: 'Ada', email: 'ada@example.test' } as VerifiedSession;
  const at = new Date('2026-03-04T05:06:07.890Z');

  it('when nothing is stored, then the defaults are answered with createdAt = updatedAt = now, and nothing is stored', async () => {
    const store = new MemoryProfileStore();
    expect(await getMyProfile(store, session, at)).toEqual({ uid: 'u-get', displayName: 'Ada', bio: '', createdAt: at, updatedAt: at });
    expect(await store.find('u-get')).toBeUndefined();
  });

  it('when a profile is stored, then it is answered as stored', async () => {
    const store = new MemoryProfileStore({ now: () => at });
    const saved = await store.save('u-get', { displayName: 'Stored', bio: 'bio' });
    expect(await getMyProfile(store, session, new Date(0))).toEqual(saved);
  });
});
