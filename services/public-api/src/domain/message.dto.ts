import type { messageSchema } from '@testbed/contracts/http';
import type { z } from 'zod';
import type { Message } from './message.js';

/** A message as the API answers it; its schema is the contract's (`@testbed/contracts/http`). */
export type MessageResponse = z.input<typeof messageSchema>;

export const toMessageResponse = (message: Message): MessageResponse => ({
  id: message.id,
  text: message.text,
  author: { uid: message.author.uid, displayName: message.author.displayName },
  createdAt: message.createdAt.toISOString(),
});
