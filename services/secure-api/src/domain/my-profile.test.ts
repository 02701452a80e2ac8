import { describe, expect, it } from 'vitest';
import { initialDisplayName } from './my-profile.js';

describe('initialDisplayName', () => {
  it("when the token carries a name, then the profile starts with it", () => {
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
