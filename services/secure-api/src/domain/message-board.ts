/**
 * The message board and the activity feed belong to public-api; secure-api reaches them through
 * this port (an HTTP client of public-api's internal routes) and never touches their tables.
 * Shapes are public-api's JSON, passed through unchanged, typed by its contract (@testbed/contracts/http).
 */
import type { activityPageSchema, messageSchema } from '@testbed/contracts/http';
import type { z } from 'zod';

/** A message as public-api answers it: the contract's `Message` schema, the one definition of that shape. */
export type PostedMessage = z.output<typeof messageSchema>;

/** One page of activity as public-api answers it: the contract's `ActivityPage` schema. */
export type ActivityPage = z.output<typeof activityPageSchema>;

export interface PageParams {
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

export interface CallContext {
  /**
   * The signed-in user's Firebase ID token, forwarded as their proof: public-api verifies it with
   * auth-service itself and takes the author's uid from it, never from us.
   */
  readonly idToken: string;
}

export interface MessageBoard {
  /**
   * Posts as the token's user, under `displayName` (their profile name); resolves with the message
   * and where the public API serves it.
   */
  post(text: string, displayName: string, context: CallContext): Promise<{ message: PostedMessage; location: string | null }>;
  /** What the token's user did, newest first; `page` is checked by public-api. */
  activityOf(page: PageParams, context: CallContext): Promise<ActivityPage>;
  /** Whether public-api answers; for /readyz. */
  ping(): Promise<void>;
}
