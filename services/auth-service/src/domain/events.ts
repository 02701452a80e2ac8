import { createHash } from 'node:crypto';
import { createEvent, type CloudEvent } from '@testbed/service-kit/events';

const EVENT_SOURCE = '/auth-service';

export interface SignIn {
  readonly uid: string;
  /** Seconds since the epoch: when the user signed in (the token's auth_time). */
  readonly authTime: number;
  /** Firebase's sign_in_provider, e.g. "password"; empty when unknown. */
  readonly signInProvider: string;
}

/**
 * The event id of a sign-in: a UUID (version 8, RFC 9562) made from sha256(uid, auth_time). Every
 * replica, every retry and every verification of any token from that sign-in names the same event,
 * so JetStream's Nats-Msg-Id de-duplication and the consumers' idempotency absorb repeats.
 */
export function signInEventId(uid: string, authTime: number): string {
  const bytes = createHash('sha256').update(`testbed.user.signed_in\0${uid}\0${authTime}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** `testbed.user.signed_in`, fully determined by the sign-in: same id and time on every attempt. */
export function userSignedIn(signIn: SignIn): CloudEvent<'testbed.user.signed_in'> {
  const event = createEvent({
    type: 'testbed.user.signed_in',
    source: EVENT_SOURCE,
    subject: signIn.uid,
    data: { uid: signIn.uid, ...(signIn.signInProvider ? { method: signIn.signInProvider } : {}) },
  });
  return { ...event, id: signInEventId(signIn.uid, signIn.authTime), time: new Date(signIn.authTime * 1000).toISOString() };
}
