import { FileEventOutbox, type CloudEvent } from '@testbed/service-kit/events';
import type { EventPublisher } from '../../domain/ports.js';

/**
 * `pnpm dev` without servers: sign-ins are appended to the dev event log (EVENT_LOG_FILE), which
 * event-consumer's in-memory read models follow, so they show in the stats and the feed as in production.
 */
export class FileEventPublisher implements EventPublisher {
  private readonly outbox: FileEventOutbox;

  constructor(path: string) {
    this.outbox = new FileEventOutbox(path);
  }

  publish(event: CloudEvent): Promise<void> {
    return this.outbox.write([event]);
  }
}
