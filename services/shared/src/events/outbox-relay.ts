import { truncateCodePoints } from '@testbed/text';
import type { JetStreamClient } from '@nats-io/jetstream';
import type { Pool, PoolConnection, RowDataPacket } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics.js';
import { contextFromCarrier, currentTraceCarrier } from '../telemetry/context.js';
import { cloudEventHeaders } from './nats-headers.js';
import { inMessagingSpan } from '../telemetry/messaging.js';
import { untraced } from '../telemetry/registry.js';
import { subjectForType, type EventType } from './cloud-event.js';
import { eventMetrics, type EventMetrics } from './event-metrics.js';
import { defaultTopology, ensureEventStream, isMissingJetStreamResource, type EventTopology } from './topology.js';

export interface OutboxRelayOptions {
  readonly pool: Pool;
  readonly js: JetStreamClient;
  readonly logger: Logger;
  readonly topology?: EventTopology;
  /** How often to look for rows nobody nudged about (another replica's writes, a crash before the nudge). */
  readonly pollIntervalMs?: number;
  readonly batchSize?: number;
  readonly publishTimeoutMs?: number;
  /** Backoff bounds while NATS (or MySQL) fails; doubles per consecutive failure. */
  readonly minBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long sent rows are kept for inspection before the relay deletes them. */
  readonly keepSentMs?: number;
  readonly metrics?: Metrics;
}

interface OutboxRow extends RowDataPacket {
  id: number;
  event_id: string;
  event_type: EventType;
  payload: string;
  traceparent: string | null;
  tracestate: string | null;
}

const CLEANUP_EVERY_MS = 60_000;

/**
 * Publishes committed outbox rows to JetStream and marks them sent.
 *
 * Each batch is claimed with `SELECT ... FOR UPDATE SKIP LOCKED`, so several relays (replicas of one
 * service, or several services sharing a database) never publish the same row at the same time.
 * A row can still be published twice (the process dies between the publish and the commit of
 * `sent_at`); the `Nats-Msg-Id` header set to the event id makes JetStream drop the second copy.
 * While NATS is down the rows stay pending and the relay backs off; writers are never affected.
 */
export class OutboxRelay {
  private readonly topology: EventTopology;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;
  private readonly publishTimeoutMs: number;
  private readonly minBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly keepSentMs: number;
  private readonly metrics: EventMetrics | undefined;
  private readonly logger: Logger;

  private loop: Promise<void> | undefined;
  private stopping = false;
  private nudged = false;
  private backingOff = false;
  private wake: (() => void) | undefined;
  private consecutiveFailures = 0;
  private lastCleanup = 0;
  private lastPublishError: unknown;

  constructor(private readonly options: OutboxRelayOptions) {
    this.topology = options.topology ?? defaultTopology;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.batchSize = options.batchSize ?? 100;
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    this.minBackoffMs = options.minBackoffMs ?? 500;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.keepSentMs = options.keepSentMs ?? 24 * 60 * 60 * 1_000;
    this.metrics = options.metrics && eventMetrics(options.metrics);
    this.logger = options.logger.child({ module: 'outbox-relay' });
  }

  start(): void {
    // The polling queries are not part of any request: traced, they would be a new trace every
    // second. Each publish is traced under the context its row was written in (see publish).
    this.loop ??= untraced(() => this.run());
  }

  /**
   * Asks for a pass now (call after committing a transaction that wrote events). Ignored while the
   * relay is backing off, so a burst of writes during a NATS outage does not turn into a busy loop.
   */
  nudge(): void {
    this.nudged = true;
    if (!this.backingOff) this.wake?.();
  }

  /** Finishes the batch in flight and stops. Pending rows stay for the next start or another replica. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  /** Rows not yet published, for readiness details, metrics and tests. */
  async pendingCount(): Promise<number> {
    const [rows] = await this.options.pool.query<RowDataPacket[]>('SELECT COUNT(*) AS pending FROM outbox WHERE sent_at IS NULL');
    return Number(rows[0]?.['pending'] ?? 0);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.nudged = false;
      this.lastPublishError = undefined;
      let delay = this.pollIntervalMs;
      try {
        const { claimed, failed } = await this.relayBatch();
        if (failed > 0) throw new Error(`${failed} of ${claimed} events could not be published`);
        this.consecutiveFailures = 0;
        this.backingOff = false;
        if (claimed === this.batchSize || this.nudged) delay = 0;
        await this.cleanupIfDue();
      } catch (error) {
        this.consecutiveFailures += 1;
        this.backingOff = true;
        delay = this.backoffDelay();
        this.logger.warn({ err: error, retryInMs: delay }, 'outbox relay pass failed; events stay pending');
        if (isMissingJetStreamResource(this.lastPublishError)) await this.recreateStream();
      }
      if (delay > 0 && !this.stopping) await this.sleep(delay);
    }
  }

  /**
   * The stream is gone (a JetStream server restarted without its store): create it again so the
   * next pass can publish. Idempotent, so every replica may do it.
   */
  private async recreateStream(): Promise<void> {
    try {
      await ensureEventStream(await this.options.js.jetstreamManager(), { topology: this.topology });
      this.logger.warn({ stream: this.topology.stream }, 'event stream was missing; created it again');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not create the missing event stream yet');
    }
  }

  private backoffDelay(): number {
    const exponential = this.minBackoffMs * 2 ** Math.min(this.consecutiveFailures - 1, 16);
    const capped = Math.min(exponential, this.maxBackoffMs);
    // Jitter keeps replicas that failed together from retrying together.
    return Math.round(capped / 2 + (Math.random() * capped) / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = undefined;
        done();
      };
    });
  }

  private async relayBatch(): Promise<{ claimed: number; failed: number }> {
    const connection = await this.options.pool.getConnection();
    try {
      // READ COMMITTED: no gap locks, so producers inserting new rows never wait for the relay.
      await connection.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
      await connection.beginTransaction();
      try {
        const result = await this.publishClaimed(connection);
        await connection.commit();
        return result;
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      }
    } finally {
      connection.release();
    }
  }

  private async publishClaimed(connection: PoolConnection): Promise<{ claimed: number; failed: number }> {
    const [rows] = await connection.query<OutboxRow[]>(
      `SELECT id, event_id, event_type, payload, traceparent, tracestate FROM outbox
       WHERE sent_at IS NULL ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED`,
      [this.batchSize],
    );
    if (rows.length === 0) return { claimed: 0, failed: 0 };

    const results = await Promise.allSettled(rows.map((row) => this.publish(row)));
    const sent: number[] = [];
    const failed: number[] = [];
    let lastError = '';
    results.forEach((result, index) => {
      const id = rows[index]!.id;
      if (result.status === 'fulfilled') {
        sent.push(id);
        this.metrics?.outboxPublished.inc({ outcome: result.value ? 'duplicate' : 'published' });
      } else {
        failed.push(id);
        this.lastPublishError = result.reason;
        lastError = result.reason instanceof Error ? result.reason.message : String(result.reason);
        this.metrics?.outboxPublished.inc({ outcome: 'failed' });
      }
    });
    if (sent.length > 0) {
      await connection.query('UPDATE outbox SET sent_at = NOW(3), attempts = attempts + 1 WHERE id IN (?)', [sent]);
    }
    if (failed.length > 0) {
      await connection.query('UPDATE outbox SET attempts = attempts + 1, last_error = ? WHERE id IN (?)', [truncateCodePoints(lastError, 500), failed]);
    }
    return { claimed: rows.length, failed: failed.length };
  }

  /**
   * Resolves to true when JetStream reports the event as a duplicate it already stored. The publish
   * is a span in the trace of the request that wrote the row, and the message headers carry that
   * span's context (`traceparent`, `tracestate`) on to the consumer.
   */
  private publish(row: OutboxRow): Promise<boolean> {
    const subject = subjectForType(row.event_type, this.topology.subjectPrefix);
    const written = contextFromCarrier({
      ...(row.traceparent ? { traceparent: row.traceparent } : {}),
      ...(row.tracestate ? { tracestate: row.tracestate } : {}),
    });
    return inMessagingSpan({ operation: 'send', subject, messageId: row.event_id, parent: written }, async () => {
      // With telemetry off there is no span to inject: pass on what the writer stored.
      const carrier = { ...row, ...currentTraceCarrier() };
      const ack = await this.options.js.publish(subject, row.payload, {
        msgID: row.event_id,
        headers: cloudEventHeaders({
          ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
          ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
        }),
        timeout: this.publishTimeoutMs,
      });
      return ack.duplicate;
    });
  }

  private async cleanupIfDue(): Promise<void> {
    if (Date.now() - this.lastCleanup < CLEANUP_EVERY_MS) return;
    this.lastCleanup = Date.now();
    await this.options.pool.query('DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < NOW(3) - INTERVAL ? MICROSECOND LIMIT 10000', [
      this.keepSentMs * 1_000,
    ]);
  }
}
