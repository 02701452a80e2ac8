// The CloudEvents catalogue (@testbed/contracts/events), re-exported beside the machinery that moves it.
export * from './cloud-event.js';
export {
  defaultTopology,
  dlqSubjectFor,
  ensureDurableConsumer,
  ensureEventStream,
  isMissingJetStreamResource,
  type DurableConsumerSettings,
  topologyFor,
  topologyWithPrefix,
  type EventStreamOptions,
  type EventTopology,
} from './topology.js';
export type { DeliveryContext, EventHandler, EventOutbox, EventSubscriber, Subscription } from './ports.js';
export {
  MysqlOutbox,
  OUTBOX_MIGRATION_SCOPE,
  migrateOutbox,
  outboxMigrationsDir,
  readOutboxBacklog,
  writeToOutbox,
  type OutboxBacklog,
} from './mysql-outbox.js';
export { ConsumerProgress, DEFAULT_CONSUMER_STALL_S, DEFAULT_OUTBOX_STALL_S, outboxProgress } from './progress.js';
export { OutboxRelay, type OutboxRelayOptions } from './outbox-relay.js';
export { DEFAULT_RETRY_BACKOFF_MS, JetStreamEventSubscriber, type JetStreamSubscriberOptions } from './jetstream-subscriber.js';
export { MemoryEventBus, type MemoryDeadLetter, type MemoryEventBusOptions } from './memory-event-bus.js';
export { DLQ_HEADERS, type DeadLetterKind } from './dead-letter-headers.js';
export { listDeadLetters, replayDeadLetter, type DeadLetter, type DeadLetterQuery } from './dead-letters.js';
export { PermanentEventError, classifyHandlerError, type HandlerFailureKind } from './handler-errors.js';
export { cloudEventHeaders } from './nats-headers.js';
export { BackgroundOutboxRelay, type BackgroundOutboxRelayOptions } from './background-relay.js';
export { EventLogFollower, FileEventOutbox } from './file-event-log.js';
