import type { JetStreamManager, StreamUpdateConfig } from '@nats-io/jetstream';
import { AckPolicy, DeliverPolicy, DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { DEFAULT_SUBJECT_PREFIX } from './cloud-event.js';

/**
 * Where events and dead letters live. Production uses the defaults; tests pass their own names so
 * files running in parallel against one NATS server never see each other's messages.
 */
export interface EventTopology {
  readonly stream: string;
  readonly subjectPrefix: string;
  readonly dlqStream: string;
  readonly dlqSubjectPrefix: string;
}

export const defaultTopology: EventTopology = Object.freeze({
  stream: 'TESTBED_EVENTS',
  subjectPrefix: DEFAULT_SUBJECT_PREFIX,
  dlqStream: 'TESTBED_DLQ',
  dlqSubjectPrefix: 'testbed.dlq',
});

/** A topology with every name derived from one prefix, e.g. `testTopology('t_abc')`. */
export function topologyWithPrefix(prefix: string): EventTopology {
  const token = prefix.replace(/[^\w-]/g, '_');
  return Object.freeze({
    stream: `${token.toUpperCase()}_EVENTS`,
    subjectPrefix: `${token}.events`,
    dlqStream: `${token.toUpperCase()}_DLQ`,
    dlqSubjectPrefix: `${token}.dlq`,
  });
}

/**
 * The topology a service runs with: derived from `EVENT_TOPOLOGY_PREFIX` when set, else the
 * production names. Every service resolves it the same way, so they meet on one stream.
 */
export const topologyFor = (prefix: string | undefined): EventTopology => (prefix ? topologyWithPrefix(prefix) : defaultTopology);

export const dlqSubjectFor = (consumer: string, topology: EventTopology = defaultTopology) => `${topology.dlqSubjectPrefix}.${consumer}`;

const DAY_MS = 24 * 60 * 60 * 1_000;

export interface EventStreamOptions {
  readonly topology?: EventTopology;
  /** How long JetStream remembers a Nats-Msg-Id to drop a re-published event. */
  readonly duplicateWindowMs?: number;
  readonly maxAgeMs?: number;
  readonly dlqMaxAgeMs?: number;
}

async function upsertStream(jsm: JetStreamManager, name: string, config: Partial<StreamUpdateConfig>): Promise<void> {
  const exists = await jsm.streams.info(name).then(
    () => true,
    (error: unknown) => {
      if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return false;
      throw error;
    },
  );
  if (exists) {
    await jsm.streams.update(name, config);
  } else {
    // Limits retention keeps events after every consumer acked them, so a new consumer or a replay can read history.
    await jsm.streams.add({ name, storage: StorageType.File, retention: RetentionPolicy.Limits, ...config });
  }
}

/**
 * Creates or updates the event stream and the dead-letter stream. Safe to call from every replica
 * at every start, and again by a relay or consumer that finds them missing (a JetStream server
 * that lost its store): the configuration in code is the source of truth.
 */
export async function ensureEventStream(jsm: JetStreamManager, options: EventStreamOptions = {}): Promise<void> {
  const topology = options.topology ?? defaultTopology;
  await upsertStream(jsm, topology.stream, {
    subjects: [`${topology.subjectPrefix}.>`],
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(options.duplicateWindowMs ?? 2 * 60 * 1_000),
    max_age: nanos(options.maxAgeMs ?? 7 * DAY_MS),
  });
  await upsertStream(jsm, topology.dlqStream, {
    subjects: [`${topology.dlqSubjectPrefix}.>`],
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(2 * 60 * 1_000),
    max_age: nanos(options.dlqMaxAgeMs ?? 30 * DAY_MS),
  });
}

/**
 * True for the errors JetStream gives when the stream or a consumer it needs is not there: after a
 * server lost its store, or before anyone created them. A publish to a subject no stream captures
 * gets "no responders", which the client reports as `JetStreamNotEnabled` ("jetstream is not
 * enabled"); the management API answers 404 with stream or consumer not found.
 */
export function isMissingJetStreamResource(error: unknown): boolean {
  // The package's main entry does not export JetStreamNotEnabled; its name is stable.
  if (error instanceof Error && error.name === 'JetStreamNotEnabled') return true;
  if (error instanceof JetStreamApiError) {
    return error.code === JetStreamApiCodes.StreamNotFound || error.code === JetStreamApiCodes.ConsumerNotFound;
  }
  const message = error instanceof Error ? error.message : '';
  return /stream not found|consumer not found|jetstream is not enabled|no responders/i.test(message);
}

/** What every durable consumer of the event stream is configured with; see `ensureDurableConsumer`. */
export interface DurableConsumerSettings {
  /** Time a handler has before JetStream redelivers the event, in milliseconds (`ack_wait`). */
  readonly ackWaitMs: number;
  /** Deliveries before JetStream stops redelivering (`max_deliver`). */
  readonly maxDeliver: number;
}

/**
 * Creates the durable pull consumer `name` on the event stream, or updates the settings of the one
 * that exists. Idempotent: consumers call it at start and again whenever they find it missing.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  name: string,
  settings: DurableConsumerSettings,
  topology: EventTopology = defaultTopology,
): Promise<void> {
  const config = { ack_wait: nanos(settings.ackWaitMs), max_deliver: settings.maxDeliver, max_ack_pending: 1_000 };
  try {
    await jsm.consumers.info(topology.stream, name);
    await jsm.consumers.update(topology.stream, name, config);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound)) throw error;
    await jsm.consumers.add(topology.stream, {
      ...config,
      durable_name: name,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: `${topology.subjectPrefix}.>`,
    });
  }
}
