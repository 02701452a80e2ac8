import { createEvent } from '@testbed/service-kit/events';
import type { Author, Message } from './message.js';
import { newMessageId } from './message-id.js';
import type { MessageStore } from './message.store.js';

const EVENT_SOURCE = '/public-api';

export interface NewMessage {
  readonly text: string;
  /** Anonymous posts carry uid null and the typed name; signed-in posts (via secure-api) the profile. */
  readonly author: Author;
}

/** Stores a message and its `testbed.message.posted` event together (one transaction with MySQL). */
export async function postMessage(store: MessageStore, input: NewMessage): Promise<Message> {
  const createdAt = new Date();
  const message: Message = {
    id: newMessageId(),
    text: input.text,
    author: { uid: input.author.uid, displayName: input.author.displayName },
    createdAt,
  };
  const event = createEvent({
    type: 'testbed.message.posted',
    source: EVENT_SOURCE,
    subject: message.id,
    data: {
      messageId: message.id,
      text: message.text,
      author: { uid: message.author.uid, displayName: message.author.displayName },
      createdAt: message.createdAt.toISOString(),
    },
  });
  await store.insert(message, [event]);
  return message;
}
