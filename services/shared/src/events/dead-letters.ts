import { randomUUID } from 'node:crypto';
import { JetStreamApiCodes, JetStreamApiError, jetstream, jetstreamManager, type StoredMsg } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { DLQ_HEADERS } from './dead-letter-headers.js';
import { defaultTopology, dlqSubjectFor, type EventTopology } from './topology.js';

export interface DeadLetter {
  /** Sequence in the dead-letter stream; the id `replay` takes. */
  readonly seq: number;
  readonly consumer: string;
  /** Subject the event was originally published on; replay publishes it there again. */
  readonly subject: string;
  readonly error: string;
  /** `permanent` or `retries-exhausted`; empty for letters written before the header existed. */
  readonly kind: string;
  readonly deliveries: number;
  readonly failedAt: string;
  readonly eventId: string | null;
  readonly type: string | null;
  readonly payload: string;
}

function toDeadLetter(msg: StoredMsg): DeadLetter {
  const header = (name: string) => msg.header?.get(name) ?? '';
  const payload = new TextDecoder().decode(msg.data);
  let eventId: string | null = null;
  let type: string | null = null;
  try {
    const parsed = JSON.parse(payload) as { id?: unknown; type?: unknown };
    eventId = typeof parsed.id === 'string' ? parsed.id : null;
    type = typeof parsed.type === 'string' ? parsed.type : null;
  } catch {
    // A payload that is not JSON is itself the reason it was dead-lettered; show it raw.
  }
  return {
    seq: msg.seq,
    consumer: header(DLQ_HEADERS.consumer),
    subject: header(DLQ_HEADERS.subject),
    error: header(DLQ_HEADERS.error),
    kind: header(DLQ_HEADERS.kind),
    deliveries: Number(header(DLQ_HEADERS.deliveries)) || 0,
    failedAt: header(DLQ_HEADERS.failedAt),
    eventId,
    type,
    payload,
  };
}

/** Only "no message at this sequence" means absent; a timeout or a lost connection must reach the caller. */
function nullWhenNoMessage(error: unknown): null {
  if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.NoMessageFound) return null;
  throw error;
}

export interface DeadLetterQuery {
  readonly topology?: EventTopology;
  /** Only this consumer's dead letters. */
  readonly consumer?: string;
  readonly limit?: number;
}

/** Dead letters still waiting, oldest first. */
export async function listDeadLetters(nc: NatsConnection, query: DeadLetterQuery = {}): Promise<DeadLetter[]> {
  const topology = query.topology ?? defaultTopology;
  const limit = query.limit ?? 100;
  const jsm = await jetstreamManager(nc);
  const letters: DeadLetter[] = [];
  const info = await jsm.streams.info(topology.dlqStream).catch((error: unknown) => {
    // No consumer has started yet, so there is no DLQ stream: nothing has failed either.
    if (error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound) return null;
    throw error;
  });
  if (!info || info.state.messages === 0) return letters;
  const { state } = info;
  for (let seq = state.first_seq; seq <= state.last_seq && letters.length < limit; seq += 1) {
    // Replayed letters are deleted, leaving gaps in the sequence.
    const msg = await jsm.streams.getMessage(topology.dlqStream, { seq }).catch(nullWhenNoMessage);
    if (!msg) continue;
    if (query.consumer && msg.subject !== dlqSubjectFor(query.consumer, topology)) continue;
    letters.push(toDeadLetter(msg));
  }
  return letters;
}

/**
 * Publishes a dead letter's event to its original subject again, then removes the letter. The
 * event keeps its id, so idempotent consumers that had already applied it skip it; the message
 * gets a new Nats-Msg-Id, or JetStream would drop it as a duplicate of the first publish.
 */
export async function replayDeadLetter(nc: NatsConnection, seq: number, options: { topology?: EventTopology } = {}): Promise<DeadLetter> {
  const topology = options.topology ?? defaultTopology;
  const jsm = await jetstreamManager(nc);
  const msg = await jsm.streams.getMessage(topology.dlqStream, { seq }).catch(nullWhenNoMessage);
  if (!msg) throw new Error(`no dead letter with sequence ${seq} in ${topology.dlqStream}`);
  const letter = toDeadLetter(msg);
  if (!letter.subject) throw new Error(`dead letter ${seq} does not say where it came from`);
  const h = headers();
  h.set('Content-Type', 'application/cloudevents+json');
  const traceparent = msg.header?.get('traceparent');
  if (traceparent) h.set('traceparent', traceparent);
  h.set('Testbed-Replayed-From', String(seq));
  await jetstream(nc).publish(letter.subject, msg.data, { msgID: `replay:${seq}:${randomUUID()}`, headers: h });
  // Publish first, delete second: a crash in between replays twice, which idempotent consumers absorb.
  await jsm.streams.deleteMessage(topology.dlqStream, seq);
  return letter;
}
