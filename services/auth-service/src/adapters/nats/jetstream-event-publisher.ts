import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connectNats, withTimeout, type Logger, type NatsConnection } from '@testbed/service-kit';
import { currentTraceCarrier, inMessagingSpan } from '@testbed/service-kit/telemetry';
import {
  cloudEventHeaders,
  defaultTopology,
  ensureEventStream,
  isMissingJetStreamResource,
  subjectForType,
  type CloudEvent,
  type EventTopology,
} from '@testbed/service-kit/events';
import type { EventPublisher } from '../../domain/ports.js';

export interface JetStreamEventPublisherOptions {
  readonly natsUrl: string;
  readonly name: string;
  readonly logger: Logger;
  /** Upper bound for one publish, connecting included. */
  readonly timeoutMs: number;
  readonly topology?: EventTopology;
}

/**
 * Publishes straight to JetStream (auth-service has no database, so no outbox) with
 * `Nats-Msg-Id` = event id, and resolves only once JetStream acknowledged storing the event.
 * Connecting happens lazily and never blocks start-up: while NATS is down each publish fails
 * within `timeoutMs`, and the caller tries again later.
 */
export class JetStreamEventPublisher implements EventPublisher {
  private client: Promise<JetStreamClient> | undefined;
  private nc: NatsConnection | undefined;
  private readonly topology: EventTopology;

  constructor(private readonly options: JetStreamEventPublisherOptions) {
    this.topology = options.topology ?? defaultTopology;
  }

  /** The connection once one was made, for a readiness probe. */
  get connection(): NatsConnection | undefined {
    return this.nc;
  }

  /**
   * A PRODUCER span in the trace of the verification that noticed the sign-in; its context goes in
   * the message headers, so the consumers' work joins that trace as the outbox's events do.
   */
  async publish(event: CloudEvent): Promise<void> {
    const js = await withTimeout(this.jetstream(), this.options.timeoutMs, 'connecting to NATS');
    const subject = subjectForType(event.type, this.topology.subjectPrefix);
    await inMessagingSpan({ operation: 'send', subject, messageId: event.id }, () => this.send(js, subject, event));
  }

  private async send(js: JetStreamClient, subject: string, event: CloudEvent): Promise<void> {
    try {
      // A duplicate ack (same msgID within the stream's window) is a success: the event is stored.
      await js.publish(subject, JSON.stringify(event), {
        msgID: event.id,
        headers: cloudEventHeaders(currentTraceCarrier()),
        timeout: this.options.timeoutMs,
      });
    } catch (error) {
      // The stream is gone (the server restarted without its store): create it again for the next
      // attempt, which a later verification makes. This publish still fails, so nothing is recorded.
      if (isMissingJetStreamResource(error)) {
        await withTimeout(js.jetstreamManager(), this.options.timeoutMs, 'reaching JetStream')
          .then((jsm) => ensureEventStream(jsm, { topology: this.topology }))
          .catch(() => undefined);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    const nc = this.nc;
    this.client = undefined;
    if (nc && !nc.isClosed()) await nc.drain();
  }

  private jetstream(): Promise<JetStreamClient> {
    this.client ??= (async () => {
      const nc = (this.nc ??= await connectNats(this.options.natsUrl, this.options.name, this.options.logger, {
        // Fail fast while NATS is down; the next publish tries again.
        waitOnFirstConnect: false,
      }));
      await ensureEventStream(await jetstreamManager(nc), { topology: this.topology });
      return jetstream(nc);
    })().catch((error: unknown) => {
      this.client = undefined;
      throw error;
    });
    return this.client;
  }
}
