import type { PagePosition } from './page.js';

export const MESSAGE_TEXT_MAX = 280;
export const AUTHOR_NAME_MAX = 40;
/** A signed-in author's profile name (secure-api allows 50). */
export const PROFILE_NAME_MAX = 50;
/** Firebase uids are at most 128 characters. */
export const UID_MAX = 128;
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
