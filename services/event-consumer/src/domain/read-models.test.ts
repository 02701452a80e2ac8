import { createEvent } from '@testbed/service-kit/events';
import { describe, expect, it } from 'vitest';
import { activityFor, statsChangeFor } from './read-models.js';

const posted = (text: string, uid: string | null) =>
  createEvent({
    type: 'testbed.message.posted',
    source: '/public-api',
    data: { messageId: 'm-1', text, author: { uid, displayName: 'Ada' }, createdAt: '2026-01-01T00:00:00.000Z' },
  });

describe('activityFor', () => {
  it('when a message is posted, then the entry names the author and quotes the text', () => {
    const event = posted('hello', 'uid-1');

    expect(activityFor(event)).toEqual({
      eventId: event.id,
      type: 'testbed.message.posted',
      actorUid: 'uid-1',
      summary: 'Ada posted "hello"',
      occurredAt: new Date(event.time),
    });
  });

  it('when the text is long, then the summary shortens it', () => {
    expect(activityFor(posted('x'.repeat(280), null)).summary.length).toBeLessThan(140);
  });

  it('when an astral character sits exactly where the quote is cut, then the summary keeps it whole (no lone surrogate)', () => {
    const summary = activityFor(posted(`${'a'.repeat(118)}😀tail`, null)).summary;

    expect(summary).toBe(`Ada posted "${'a'.repeat(118)}😀…"`);
    expect(summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it.each([119, 120, 121])('when a message of %i astral characters is quoted, then the quote holds at most 120 whole characters', (count) => {
    const summary = activityFor(posted('😀'.repeat(count), null)).summary;
    const quoted = summary.slice('Ada posted "'.length, -1);

    expect([...quoted].length).toBe(Math.min(count, 120));
    expect(quoted).toBe(count <= 120 ? '😀'.repeat(count) : `${'😀'.repeat(119)}…`);
  });

  it('when a user signs in, then the public summary does not name them', () => {
    const event = createEvent({ type: 'testbed.user.signed_in', source: '/auth-service', data: { uid: 'uid-2' } });

    expect(activityFor(event)).toMatchObject({ actorUid: 'uid-2', summary: 'A user signed in' });
  });
});

describe('statsChangeFor', () => {
  it('when events arrive, then messages count posts, signIns count sign-ins and profile updates count nothing', () => {
    expect(statsChangeFor(posted('hi', null))).toEqual({ messages: 1, signIns: 0, userUid: null });
    expect(statsChangeFor(createEvent({ type: 'testbed.user.signed_in', source: '/auth-service', data: { uid: 'u' } }))).toEqual({
      messages: 0,
      signIns: 1,
      userUid: 'u',
    });
    expect(statsChangeFor(createEvent({ type: 'testbed.profile.updated', source: '/secure-api', data: { uid: 'u', displayName: null } }))).toBeNull();
  });
});
