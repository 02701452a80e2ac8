import { appendFile, open } from 'node:fs/promises';
import { context } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { contextFromCarrier, currentTraceCarrier } from '../telemetry/context.js';
import { parseCloudEvent, type CloudEvent } from './cloud-event.js';
import type { EventOutbox } from './ports.js';

/**
 * The event stream of `pnpm dev` without servers: every producer process (public-api, secure-api,
 * auth-service) appends its events to one file, one CloudEvent JSON per line, and the process that
 * owns the read models (event-consumer, in its in-memory mode) reads it and hands each event to its in-memory bus.
 * It stands in for the outbox + JetStream across processes, as `MemoryEventBus` does within one:
 * without it, profile updates and sign-ins (written by other processes) never reached the feed or
 * the stats. Local development only: no locking beyond O_APPEND, no retention. Each line carries
 * the writer's trace context in the event's `traceparent` attribute (CloudEvents' distributed-tracing
 * extension), so the reader's handling joins the request's trace, as NATS headers do in production.
 */
export class FileEventOutbox implements EventOutbox {
  constructor(private readonly path: string) {}

  /** Appends the events, each checked as consumers will parse it. Lines of this size append atomically (O_APPEND). */
  async write(events: readonly CloudEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { traceparent } = currentTraceCarrier();
    const lines = events.map((event) => {
      const line = JSON.stringify(traceparent && !event.traceparent ? { ...event, traceparent } : event);
      // A malformed event is a producer bug: fail the write now rather than dead-letter it later.
      parseCloudEvent(line);
      return `${line}\n`;
    });
    await appendFile(this.path, lines.join(''), 'utf8');
  }

  nudge(): void {}
}

/**
 * Follows an event log file from its beginning and passes every complete line to `deliver` (an
 * in-memory bus's `write`), polling for new lines every `pollMs`. A line that is not a valid event
 * is logged and skipped, as a consumer would dead-letter it.
 */
export class EventLogFollower {
  private offset = 0;
  private partial: Buffer = Buffer.alloc(0);
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly path: string,
    private readonly deliver: (events: readonly CloudEvent[]) => Promise<void>,
    private readonly options: { logger?: Logger; pollMs?: number } = {},
  ) {}

  start(): this {
    const tick = () => {
      this.reading = this.readNew()
        .catch((error: unknown) => this.options.logger?.warn({ err: error, path: this.path }, 'reading the event log failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs ?? 100);
        });
    };
    tick();
    return this;
  }

  /** Reads whatever was appended since the last read; resolves once it was delivered. */
  async readNew(): Promise<void> {
    const file = await open(this.path, 'r').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (!file) return;
    let bytes: Buffer;
    try {
      const { size } = await file.stat();
      if (size <= this.offset) return;
      const buffer = Buffer.alloc(size - this.offset);
      const { bytesRead } = await file.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      bytes = Buffer.concat([this.partial, buffer.subarray(0, bytesRead)]);
    } finally {
      await file.close();
    }
    // Bytes after the last newline are a write still in progress (maybe half a character): keep them.
    const end = bytes.lastIndexOf(0x0a) + 1;
    this.partial = bytes.subarray(end);
    const lines = bytes.subarray(0, end).toString('utf8').split('\n');
    const events: CloudEvent[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      try {
        events.push(parseCloudEvent(line));
      } catch (error) {
        this.options.logger?.error({ err: error, path: this.path }, 'skipped an invalid event in the event log');
      }
    }
    // One delivery per event, in the trace context it was written in (the bus takes the active one).
    for (const event of events) {
      await context.with(contextFromCarrier(event.traceparent ? { traceparent: event.traceparent } : {}), () => this.deliver([event]));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.reading;
  }
}
