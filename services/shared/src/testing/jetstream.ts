import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { parseCloudEvent, type CloudEvent } from '../events/cloud-event.js';
import { isMissingJetStreamResource, type EventTopology } from '../events/topology.js';

/** Every event stored in `stream`, oldest first, read by sequence from the server at `natsUrl` (which must be up). */
export async function storedEvents(natsUrl: string, stream: string): Promise<CloudEvent[]> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    const { state } = await jsm.streams.info(stream);
    const events: CloudEvent[] = [];
    for (let seq = state.first_seq; state.messages > 0 && seq <= state.last_seq; seq++) {
      const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
      if (message) events.push(parseCloudEvent(message.data));
    }
    return events;
  } finally {
    await nc.close();
  }
}

/**
 * Publishes raw payloads to JetStream at `natsUrl`, each with its `Nats-Msg-Id`, and waits for each
 * acknowledgement: for events no producer would write (malformed, unstorable) to reach the consumers.
 */
export async function publishToStream(natsUrl: string, messages: readonly { subject: string; payload: string; msgId: string }[]): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const js = jetstream(nc);
    for (const message of messages) await js.publish(message.subject, message.payload, { msgID: message.msgId });
  } finally {
    await nc.close();
  }
}

/**
 * Deletes the event and dead-letter streams of `topology` (their durable consumers go with them)
 * from the server at `natsUrl`: what a test that ran a whole stack on its own topology leaves on a
 * shared server. A stream that is already gone is fine.
 */
export async function deleteTopology(natsUrl: string, topology: Pick<EventTopology, 'stream' | 'dlqStream'>): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for (const stream of [topology.stream, topology.dlqStream]) {
      await jsm.streams.delete(stream).catch((error: unknown) => {
        if (!isMissingJetStreamResource(error)) throw error;
      });
    }
  } finally {
    await nc.close();
  }
}
