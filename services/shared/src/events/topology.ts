import type { JetStreamManager, StreamUpdateConfig } from '@nats-io/jetstream';
import { DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
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

export const dlqSubjectFor = (consumer: string, topology: EventTopology = defaultTopology) =>
  `${topology.dlqSubjectPrefix}.${consumer}`;

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
 * at every start: the configuration in code is the source of truth.
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
