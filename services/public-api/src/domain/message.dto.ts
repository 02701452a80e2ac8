import { z } from 'zod';
import {
  ANONYMOUS_AUTHOR,
  AUTHOR_NAME_MAX,
  MESSAGE_TEXT_MAX,
  PROFILE_NAME_MAX,
  type Message,
} from './message.js';

/**
 * Lengths count Unicode code points after trimming, so "   " is empty, padding cannot smuggle in
 * extra characters, and 280 × 🎉 fits as it fits the `VARCHAR(280)` column. zod 4's string
 * `min`/`max` count code points, not UTF-16 units; message.dto.test.ts holds it to that.
 */
export const postMessageBody = z.strictObject({
  text: z.string().trim().min(1).max(MESSAGE_TEXT_MAX),
  author: z.string().trim().min(1).max(AUTHOR_NAME_MAX).default(ANONYMOUS_AUTHOR),
});

/**
 * The internal route's body: the text and the author's profile name. The author's uid is not in
 * it: it comes from the ID token the caller forwards, as auth-service verified it.
 */
export const internalPostMessageBody = z.strictObject({
  text: z.string().trim().min(1).max(MESSAGE_TEXT_MAX),
  author: z.strictObject({
    displayName: z.string().trim().min(1).max(PROFILE_NAME_MAX),
  }),
});

export type InternalPostMessageBody = z.output<typeof internalPostMessageBody>;

export const messageIdParams = z.object({ id: z.string() });

export interface MessageResponse {
  id: string;
  text: string;
  author: { uid: string | null; displayName: string };
  createdAt: string;
}

export const toMessageResponse = (message: Message): MessageResponse => ({
  id: message.id,
  text: message.text,
  author: { uid: message.author.uid, displayName: message.author.displayName },
  createdAt: message.createdAt.toISOString(),
});
