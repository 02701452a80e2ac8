import type { Logger } from '@testbed/service-kit';
import type { CloudEvent } from '@testbed/service-kit/events';
import type { EventPublisher } from '../../domain/ports.js';

/** Without NATS_URL: events go to the log, so a single-process `pnpm dev` still shows them. */
export class LogEventPublisher implements EventPublisher {
  constructor(private readonly logger: Logger) {}

  async publish(event: CloudEvent): Promise<void> {
    this.logger.info({ event }, 'domain event');
  }
}
