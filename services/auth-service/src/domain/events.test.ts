import { parseCloudEvent } from '@testbed/service-kit/events';
import { describe, expect, it } from 'vitest';
import { signInEventId, userSignedIn } from './events.js';

const UUID = /^[\da-f]{8}-[\da-f]{4}-8[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/;

describe('userSignedIn', () => {
  it('when the same sign-in is announced twice, then both events have the same id and time', () => {
    const a = userSignedIn({ uid: 'u1', authTime: 1_700_000_000, signInProvider: 'password' });
    const b = userSignedIn({ uid: 'u1', authTime: 1_700_000_000, signInProvider: 'password' });
    expect(a.id).toBe(b.id);
    expect(a.time).toBe('2023-11-14T22:13:20.000Z');
    expect(b.time).toBe(a.time);
    expect(a.id).toMatch(UUID);
  });

  it('when the uid or the auth_time differs, then the id differs', () => {
    const ids = new Set([signInEventId('u1', 1), signInEventId('u1', 2), signInEventId('u2', 1), signInEventId('u11', 1)]);
    expect(ids.size).toBe(4);
  });

  it('when built, then it is a valid testbed CloudEvent with the provider as method', () => {
    const event = parseCloudEvent(JSON.stringify(userSignedIn({ uid: 'u1', authTime: 5, signInProvider: 'google.com' })));
    expect(event).toMatchObject({ type: 'testbed.user.signed_in', source: '/auth-service', subject: 'u1', data: { uid: 'u1', method: 'google.com' } });
    expect(userSignedIn({ uid: 'u1', authTime: 5, signInProvider: '' }).data).toEqual({ uid: 'u1' });
  });
});
