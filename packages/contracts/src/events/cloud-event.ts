/**
 * The CloudEvents catalogue of testbed: every event type, the zod schema of its `data`, the
 * envelope (CloudEvents 1.0, structured JSON mode) and the NATS subject each type is published on.
 * Producers build events with `createEvent`, consumers parse them with `parseCloudEvent`; the
 * service kit's outbox, relay and subscribers are the machinery that moves them.
 */
import { z } from 'zod';

/** Every event type testbed publishes (CloudEvents `type`, reverse-DNS style). */
export const eventTypes = ['testbed.message.posted', 'testbed.profile.updated', 'testbed.user.signed_in'] as const;
export type EventType = (typeof eventTypes)[number];

const uid = z.string().min(1).max(128);

/** The `data` of each event type. Consumers parse with these, so a producer cannot ship a shape they do not know. */
export const eventDataSchemas = {
  'testbed.message.posted': z.object({
    messageId: z.string().min(1).max(64),
    text: z.string().min(1).max(1_000),
    author: z.object({ uid: uid.nullable(), displayName: z.string().min(1).max(100) }),
    createdAt: z.iso.datetime({ offset: true }),
  }),
  'testbed.profile.updated': z.object({
    uid,
    displayName: z.string().max(100).nullable(),
  }),
  'testbed.user.signed_in': z.object({
    uid,
    method: z.string().max(40).optional(),
  }),
} satisfies Record<EventType, z.ZodType>;

export type EventDataByType = { [T in EventType]: z.infer<(typeof eventDataSchemas)[T]> };

/** A CloudEvents 1.0 event in structured JSON mode, `traceparent` being the distributed-tracing extension. */
export interface CloudEvent<T extends EventType = EventType> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: T;
  readonly subject?: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly data: EventDataByType[T];
  readonly traceparent?: string;
}

const TRACEPARENT = /^[\da-f]{2}-[\da-f]{32}-[\da-f]{16}-[\da-f]{2}$/;

/** The envelope alone; `data` is checked against its type's schema by `parseCloudEvent`. */
export const cloudEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1).max(64),
  source: z.string().min(1).max(200),
  type: z.enum(eventTypes),
  subject: z.string().min(1).max(200).optional(),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  data: z.unknown(),
  traceparent: z.string().regex(TRACEPARENT).optional(),
});

/** A payload that is not a valid testbed event: retrying it cannot help, so consumers dead-letter it at once. */
export class InvalidEventError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid event: ${problems.join('; ')}`);
    this.name = 'InvalidEventError';
  }
}

/** A new event of `type` with a fresh id and the current time; `data` is typed by the catalogue. */
export function createEvent<T extends EventType>(input: {
  type: T;
  source: string;
  subject?: string;
  data: EventDataByType[T];
  traceparent?: string;
}): CloudEvent<T> {
  return {
    specversion: '1.0',
    // The Web Crypto global: the same call in Node and in a browser, so the catalogue stays browser-safe.
    id: globalThis.crypto.randomUUID(),
    source: input.source,
    type: input.type,
    ...(input.subject === undefined ? {} : { subject: input.subject }),
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: input.data,
    ...(input.traceparent === undefined ? {} : { traceparent: input.traceparent }),
  };
}

/** The prefix of every event subject in production; tests derive their own (see the kit's `topologyWithPrefix`). */
export const DEFAULT_SUBJECT_PREFIX = 'testbed.events';

/** "testbed.message.posted" -> "testbed.events.message.posted" */
export function subjectForType(type: EventType, subjectPrefix = DEFAULT_SUBJECT_PREFIX): string {
  return `${subjectPrefix}.${type.replace(/^testbed\./, '')}`;
}

const describe = (error: z.ZodError, at: string) => error.issues.map((issue) => `${[at, ...issue.path].filter(Boolean).join('.')}: ${issue.message}`);

/**
 * Parses and validates an event as it arrives off the wire (envelope and the data of its type).
 *
 * @throws InvalidEventError when the payload is not JSON, not a CloudEvent or its data does not fit its type.
 */
export function parseCloudEvent(payload: Uint8Array | string): CloudEvent {
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload));
  } catch {
    throw new InvalidEventError(['payload is not JSON']);
  }
  const envelope = cloudEventSchema.safeParse(json);
  if (!envelope.success) throw new InvalidEventError(describe(envelope.error, ''));
  const data = eventDataSchemas[envelope.data.type].safeParse(envelope.data.data);
  if (!data.success) throw new InvalidEventError(describe(data.error, 'data'));
  return { ...envelope.data, data: data.data };
}
