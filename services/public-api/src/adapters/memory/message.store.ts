import { compareNewestFirst, isOlderThan, pageFromRows, type Page, type PageRequest } from '@testbed/service-kit';
import type { CloudEvent, EventOutbox } from '@testbed/service-kit/events';
import { messagePosition, type Message } from '../../domain/message.js';
import type { MessageStore } from '../../domain/message.store.js';

/** Messages in process memory; their events go to the in-memory bus. */
export class MemoryMessageStore implements MessageStore {
  // Kept newest first, so a page is a scan from the front.
  private readonly messages: Message[] = [];
  private readonly byId = new Map<string, Message>();

  constructor(private readonly outbox: EventOutbox) {}

  async insert(message: Message, events: readonly CloudEvent[]): Promise<void> {
    if (this.byId.has(message.id)) throw new Error(`duplicate message id ${message.id}`);
    // Events first: storing in memory cannot fail afterwards, so a failed write stores nothing, as a rollback would.
    await this.outbox.write(events);
    const at = this.messages.findIndex((m) => compareNewestFirst(messagePosition(message), messagePosition(m)) < 0);
    this.messages.splice(at === -1 ? this.messages.length : at, 0, message);
    this.byId.set(message.id, message);
  }

  find(id: string): Promise<Message | undefined> {
    return Promise.resolve(this.byId.get(id));
  }

  list(request: PageRequest): Promise<Page<Message>> {
    const { after } = request;
    const candidates = after ? this.messages.filter((m) => isOlderThan(messagePosition(m), after)) : this.messages;
    return Promise.resolve(pageFromRows(candidates.slice(0, request.limit + 1), request.limit, messagePosition));
  }
}
