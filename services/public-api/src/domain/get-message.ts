import { AppError } from '@testbed/service-kit';
import type { Message } from './message.js';
import type { MessageStore } from './message.store.js';

const MESSAGE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A malformed id cannot name a message, so it is the same 404 without a trip to the store. */
export async function getMessage(store: MessageStore, id: string): Promise<Message> {
  const message = MESSAGE_ID.test(id) ? await store.find(id) : undefined;
  if (!message) throw new AppError('not-found', 'no message with that id');
  return message;
}
