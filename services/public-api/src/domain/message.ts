import type { PagePosition } from './page.js';

// Lengths count Unicode code points; the limits are shared with secure-api and the SPA.
export { AUTHOR_NAME_MAX, MESSAGE_TEXT_MAX } from '@testbed/text';
/** A signed-in author's profile name: secure-api's display name limit. */
export { DISPLAY_NAME_MAX as PROFILE_NAME_MAX } from '@testbed/text';
export const ANONYMOUS_AUTHOR = 'anonymous';

export interface Author {
  /** The signed-in user's uid, or null for an anonymous public post. */
  readonly uid: string | null;
  readonly displayName: string;
}

export interface Message {
  /** A UUIDv7: unique and roughly time-ordered. */
  readonly id: string;
  readonly text: string;
  readonly author: Author;
  readonly createdAt: Date;
}

/** Where a message sits in the newest-first order. */
export const messagePosition = (message: Message): PagePosition => ({ createdAt: message.createdAt, id: message.id });
