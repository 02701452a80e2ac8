import { describe, expect, it } from 'vitest';
import { InvalidEventError, createEvent, parseCloudEvent, subjectForType } from './cloud-event.js';

const posted = () =>
  createEvent({
    type: 'testbed.message.posted',
    source: '/public-api',
    subject: 'm-1',
    data: { messageId: 'm-1', text: 'hi', author: { uid: null, displayName: 'anonymous' }, createdAt: new Date().toISOString() },
  });

describe('createEvent', () => {
  it('when called, then it fills in the CloudEvents 1.0 envelope', () => {
    const event = posted();

    expect(event).toMatchObject({ specversion: '1.0', datacontenttype: 'application/json', type: 'testbed.message.posted' });
    expect(event.id).toMatch(/^[\da-f-]{36}$/);
    expect(new Date(event.time).toISOString()).toBe(event.time);
    expect(event).not.toHaveProperty('traceparent');
  });

  it('when two events are created, then their ids differ', () => {
    expect(posted().id).not.toBe(posted().id);
  });
});

describe('subjectForType', () => {
  it('when given a type, then the subject is the prefix plus the type without "testbed."', () => {
    expect(subjectForType('testbed.message.posted')).toBe('testbed.events.message.posted');
    expect(subjectForType('testbed.user.signed_in')).toBe('testbed.events.user.signed_in');
    expect(subjectForType('testbed.profile.updated', 't1.events')).toBe('t1.events.profile.updated');
  });
});

describe('parseCloudEvent', () => {
  it('when the payload is a valid event, then it round-trips', () => {
    const event = posted();

    expect(parseCloudEvent(new TextEncoder().encode(JSON.stringify(event)))).toEqual(event);
  });

  it.each([
    ['not JSON', '{'],
    ['an unknown type', JSON.stringify({ ...posted(), type: 'testbed.other' })],
    ['a wrong specversion', JSON.stringify({ ...posted(), specversion: '0.3' })],
    ['data of the wrong shape', JSON.stringify({ ...posted(), data: { text: 'no author' } })],
    ['a malformed traceparent', JSON.stringify({ ...posted(), traceparent: 'nope' })],
  ])('when the payload has %s, then it throws InvalidEventError', (_case, payload) => {
    expect(() => parseCloudEvent(payload)).toThrow(InvalidEventError);
  });
});
