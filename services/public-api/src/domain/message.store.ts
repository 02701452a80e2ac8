import { type Page, type PageRequest } from '@testbed/service-kit';
import type { CloudEvent } from '@testbed/service-kit/events';
import type { Message } from './message.js';

export interface MessageStore {
  /**
   * Saves the message and the events it causes as one unit: both are stored or neither is, and
   * the events are then delivered even if the broker is down right now.
   */
  insert(message: Message, events: readonly CloudEvent[]): Promise<void>;
  find(id: string): Promise<Message | undefined>;
  /** Newest first. */
  list(request: PageRequest): Promise<Page<Message>>;
}
