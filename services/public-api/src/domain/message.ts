import { type PagePosition } from '@testbed/service-kit';

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
