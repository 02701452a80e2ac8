import { sliceCodePoints } from '@testbed/text';

/** Headers a dead letter carries next to the original event bytes. */
export const DLQ_HEADERS = {
  error: 'Testbed-Dlq-Error',
  /** `permanent` (dead-lettered on the spot) or `retries-exhausted` (after max_deliver). */
  kind: 'Testbed-Dlq-Kind',
  consumer: 'Testbed-Dlq-Consumer',
  subject: 'Testbed-Dlq-Subject',
  deliveries: 'Testbed-Dlq-Deliveries',
  streamSequence: 'Testbed-Dlq-Stream-Seq',
  failedAt: 'Testbed-Dlq-Failed-At',
} as const;

// Header values travel on one line of the NATS protocol.
const oneLine = (value: string, max: number) => sliceCodePoints(value.replace(/[\r\n]+/g, ' '), max);

/** Why an event was dead-lettered: a failure no retry fixes, or a transient one that outlasted max_deliver. */
export type DeadLetterKind = 'permanent' | 'retries-exhausted';

export function deadLetterHeaders(input: {
  error: string;
  kind: DeadLetterKind;
  consumer: string;
  subject: string;
  deliveries: number;
  streamSequence: number;
  traceparent?: string | undefined;
}): Record<string, string> {
  return {
    [DLQ_HEADERS.error]: oneLine(input.error, 1_000) || 'unknown error',
    [DLQ_HEADERS.kind]: input.kind,
    [DLQ_HEADERS.consumer]: input.consumer,
    [DLQ_HEADERS.subject]: input.subject,
    [DLQ_HEADERS.deliveries]: String(input.deliveries),
    [DLQ_HEADERS.streamSequence]: String(input.streamSequence),
    [DLQ_HEADERS.failedAt]: new Date().toISOString(),
    ...(input.traceparent ? { traceparent: input.traceparent } : {}),
  };
}

/** One dead letter per consumer and stream sequence, even if the dead-lettering itself is retried. */
export const deadLetterMsgId = (consumer: string, streamSequence: number) => `dlq:${consumer}:${streamSequence}`;
